import ExplicitState
import _Differentiation

extension BatchNorm {
  /// Normalizes `x` and returns the new state, differentiable with respect to `x`: the form
  /// of the call that `valueWithGradient` differentiates.
  ///
  /// In training the gradient flows through the batch's mean and variance, and the running
  /// statistics take them without a gradient, as Inox's `stop_gradient` does. Errors (a
  /// missing entry, a shape that is not `[batch, ..., channels]`) are deferred to the
  /// enclosing `withDeferredErrors(_:)` or `valueWithGradient`, with the input state returned.
  ///
  /// - Complexity: O(*n*) in the size of `x`.
  @differentiable(reverse)
  public func forward(_ x: Tensor, _ state: State) -> Stateful<Tensor> {
    guard let running = withoutDerivative(at: statistics(in: state)) else {
      return Stateful(.placeholder, state: state)
    }
    guard isTraining else {
      return Stateful(x.subtracting(running.mean).divided(by: (running.variance + epsilon).squareRoot()), state: state)
    }
    guard let channels = withoutDerivative(at: x.rank > 1 ? x.shape.last : nil) else {
      deferError(TensorError.notBatched(layer: "BatchNorm", shape: x.shape))
      return Stateful(.placeholder, state: state)
    }
    let rows = x.reshaped(as: [-1, channels])
    let batchMean = rows.mean(along: 0)
    let batchVariance = rows.variance(along: 0)
    let newState = withoutDerivative(at: updated(state, running: running, mean: batchMean, variance: batchVariance))
    return Stateful(x.subtracting(batchMean).divided(by: (batchVariance + epsilon).squareRoot()), state: newState)
  }

  /// The running statistics in `state`, or `nil` after deferring the error.
  func statistics(in state: State) -> Statistics? {
    do {
      return try state[stats]
    } catch {
      deferError(error)
      return nil
    }
  }

  /// `state` with the running statistics moved toward the batch's: no gradient flows here.
  func updated(_ state: State, running: Statistics, mean: Tensor, variance: Tensor) -> State {
    do {
      let next = Statistics(
        mean: try momentum * running.mean + (1 - momentum) * mean,
        variance: try momentum * running.variance + (1 - momentum) * variance)
      return try updateState(state, [stats: next])
    } catch {
      deferError(error)
      return state
    }
  }
}
