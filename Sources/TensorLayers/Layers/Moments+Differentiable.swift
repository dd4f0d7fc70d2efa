import ExplicitState
import _Differentiation

extension Moments {
  /// Moves the moments toward `x` and returns the new state, deferring errors to the
  /// enclosing `withDeferredErrors(_:)` or `valueWithGradient`: the form of the call for
  /// differentiable code. The state gets no gradient, and neither does `x` through it.
  ///
  /// - Complexity: O(*n*) in the size of `x`.
  @differentiable(reverse)
  public func forward(_ x: Tensor, _ state: State) -> State {
    do {
      return try self(x, state)
    } catch {
      deferError(error)
      return state
    }
  }

  @derivative(of: forward)
  @usableFromInline
  func _vjpForward(
    _ x: Tensor, _ state: State
  ) -> (value: State, pullback: (State.TangentVector) -> (TangentVector, Tensor.TangentVector, State.TangentVector)) {
    (forward(x, state), { _ in (.zero, .zero, .zero) })
  }
}
