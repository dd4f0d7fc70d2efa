import ExplicitState
import _Differentiation
import StateKeysSupport

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
    normalization(x, state).output
  }

  /// Its derivative is the layer's own, in two passes over the rows, rather than the
  /// composition of its operations': with `x̂` the output and `σ` the deviation of each
  /// channel, `dx = (g − mean(g) − x̂ · mean(g · x̂)) / σ` in training, `g / σ` in inference.
  @derivative(of: forward)
  @usableFromInline
  func _vjpForward(
    _ x: Tensor, _ state: State
  ) -> (value: Stateful<Tensor>, pullback: (Tensor.TangentVector) -> (TangentVector, Tensor.TangentVector, State.TangentVector)) {
    let (output, deviations) = normalization(x, state)
    let training = isTraining
    return (output, { gradient in
      let y = output.value
      guard let g = gradient.tensor, g.shape == y.shape, let deviations, let channels = y.rowLength,
        deviations.count == channels
      else { return (.zero, .zero, .zero) }
      let n = Float(y.count / channels)
      let result = g.storage.withUnsafeBufferPointer { g in
        y.storage.withUnsafeBufferPointer { y in
          deviations.withUnsafeBufferPointer { deviation in
            [Float](count: g.count) { out in
              guard training else {
                var start = 0
                while start < g.count {
                  for j in 0..<channels { out[start &+ j] = g[start &+ j] / deviation[j] }
                  start &+= channels
                }
                return
              }
              var sumG = [Float](repeating: 0, count: channels)
              var sumGY = [Float](repeating: 0, count: channels)
              var start = 0
              while start < g.count {
                for j in 0..<channels {
                  sumG[j] += g[start &+ j]
                  sumGY[j] += g[start &+ j] * y[start &+ j]
                }
                start &+= channels
              }
              for j in 0..<channels {
                sumG[j] /= n
                sumGY[j] /= n
              }
              start = 0
              while start < g.count {
                for j in 0..<channels {
                  out[start &+ j] = (g[start &+ j] - sumG[j] - y[start &+ j] * sumGY[j]) / deviation[j]
                }
                start &+= channels
              }
            }
          }
        }
      }
      return (.zero, Tensor.TangentVector(Tensor(uncheckedShape: y.shape, scalars: result)), .zero)
    })
  }

  /// The normalized input and the new state, and each channel's deviation `√(var + ε)` for
  /// the derivative (`nil` after a deferred error).
  ///
  /// The arithmetic is the throwing call's, element for element: the batch mean is the column
  /// sums divided by the row count, the variance the mean of the squared deviations, and the
  /// output `(x − mean) / √(var + ε)`.
  func normalization(_ x: Tensor, _ state: State) -> (output: Stateful<Tensor>, deviations: [Float]?) {
    guard let running = statistics(in: state) else { return (Stateful(.placeholder, state: state), nil) }
    if isTraining, x.rank < 2 {
      deferError(TensorError.notBatched(layer: "BatchNorm", shape: x.shape))
      return (Stateful(.placeholder, state: state), nil)
    }
    guard let channels = x.rowLength, channels == running.mean.count, channels == running.variance.count else {
      deferError(TensorError.incompatibleShapes(operation: "BatchNorm", x.shape, running.mean.shape))
      return (Stateful(.placeholder, state: state), nil)
    }
    var newState = state
    let mean: [Float]
    let deviations: [Float]
    if isTraining {
      let rows = Float(x.count / channels)
      var sums = x.storage.withUnsafeBufferPointer { columnSums($0, columns: channels) }
      for j in 0..<channels { sums[j] /= rows }
      mean = sums
      var squares = [Float](repeating: 0, count: channels)
      x.storage.withUnsafeBufferPointer { x in
        var start = 0
        while start < x.count {
          for j in 0..<channels {
            let centered = x[start &+ j] - mean[j]
            squares[j] += centered * centered
          }
          start &+= channels
        }
      }
      for j in 0..<channels { squares[j] /= rows }
      deviations = squares.map { ($0 + epsilon).squareRoot() }
      newState = updated(
        state, running: running, mean: Tensor(uncheckedShape: [channels], scalars: mean),
        variance: Tensor(uncheckedShape: [channels], scalars: squares))
    } else {
      mean = running.mean.storage
      deviations = running.variance.storage.map { ($0 + epsilon).squareRoot() }
    }
    let y = x.storage.withUnsafeBufferPointer { x in
      [Float](count: x.count) { out in
        var start = 0
        while start < x.count {
          for j in 0..<channels { out[start &+ j] = (x[start &+ j] - mean[j]) / deviations[j] }
          start &+= channels
        }
      }
    }
    return (Stateful(Tensor(uncheckedShape: x.shape, scalars: y), state: newState), deviations)
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
