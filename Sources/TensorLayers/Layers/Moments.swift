import _Differentiation
import ExplicitState

/// Running first and second moments of what flows through: the stateful layer of Inox's
/// `inox.nn.state` documentation.
///
/// Each call moves the moments toward the input and returns the new state:
/// `first ← 0.9 · first + 0.1 · x` and `second ← 0.9 · second + 0.1 · x²`. The guide
/// (`Guides/ExplicitState.md`) writes it with `updateState`, as Inox does; this version changes
/// both moments in place, in one pass, with `State.modify(_:_:_:)`, which under the natural
/// call pattern copies nothing.
public struct Moments: StateVisitable, Sendable, Equatable, Differentiable {
  /// The running mean; starts at zero.
  @noDerivative public var first: StateEntry<Tensor>
  /// The running mean of squares; starts at one.
  @noDerivative public var second: StateEntry<Tensor>

  /// Creates the layer for inputs of `features` elements.
  ///
  /// - Throws: `TensorError.invalidShape` for a negative count.
  public init(features: Int) throws(TensorError) {
    let zeros = try Tensor.zeros([features])
    first = StateEntry(zeros)
    // The same shape array for both: one heap array fewer, and one cache line fewer to read
    // when a call checks that the two shapes agree.
    second = StateEntry(try .ones(zeros.shape))
  }

  /// Moves the moments toward `x` and returns the new state.
  ///
  /// - Throws: `StateError` when the state lacks the layer's entries, and
  ///   `TensorError.incompatibleShapes` when `x` does not have the moments' shape.
  /// - Complexity: O(*n*) in the size of `x`; the state update is O(1) when the old state is
  ///   not used again.
  @inlinable
  public func callAsFunction(_ x: Tensor, _ state: consuming State) throws -> State {
    try state.modify(first, second) { first, second in
      try Tensor.combine(&first, &second, with: x) { first, second, x in
        first = 0.9 * first + 0.1 * x
        second = 0.9 * second + 0.1 * (x * x)
      }
    }
    return state
  }

  /// Visits `.first` and `.second`.
  @inlinable
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("first", &first)
    visitor.visit("second", &second)
  }
}
