import ExplicitState

/// Batch normalization with running statistics kept in the state, as Inox's `nn.BatchNorm`.
///
/// In training, the layer normalizes with the batch's mean and (population) variance over
/// every axis but the last, and returns a state whose running statistics moved toward them:
/// `running = momentum · running + (1 − momentum) · batch`. In inference, it normalizes with
/// the running statistics and returns the state unchanged.
///
/// ```swift
/// var norm = try BatchNorm(channels: 3)
/// let (exported, state) = try exportState(norm)
/// let (y, newState) = try exported(x, state)      // x: Float[batch, 3]
/// ```
public struct BatchNorm: Sendable, Equatable {
  /// The running mean of each channel; starts at zero.
  public var mean: StateEntry<Tensor>
  /// The running variance of each channel; starts at one.
  public var variance: StateEntry<Tensor>
  /// Added to the variance before the square root.
  public var epsilon: Float
  /// The weight of the old running statistics in each update.
  public var momentum: Float
  /// Whether calls use and update batch statistics (training) or use the running ones.
  public var isTraining: Bool

  /// Creates the layer for `channels` features.
  ///
  /// - Throws: `TensorError.invalidShape` for a negative channel count.
  public init(
    channels: Int, epsilon: Float = 1e-5, momentum: Float = 0.9, isTraining: Bool = true
  ) throws(TensorError) {
    mean = StateEntry(try .zeros([channels]))
    variance = StateEntry(try .ones([channels]))
    self.epsilon = epsilon
    self.momentum = momentum
    self.isTraining = isTraining
  }

  /// Normalizes `x`, of shape `[batch, ..., channels]`, and returns the new state.
  ///
  /// - Throws: `TensorError.notBatched` in training when `x` has rank below 2,
  ///   `TensorError.incompatibleShapes` when its last dimension is not the channel count, and
  ///   `StateError` when the state lacks the layer's statistics.
  /// - Complexity: O(*n*) in the size of `x`; the state update is O(1) when the old state is
  ///   not used again.
  public func callAsFunction(_ x: Tensor, _ state: consuming State) throws -> (Tensor, State) {
    if isTraining {
      guard x.rank > 1, let channels = x.shape.last else {
        throw TensorError.notBatched(layer: "BatchNorm", shape: x.shape)
      }
      let rows = try x.reshaped(to: [-1, channels])
      let batchMean = try rows.mean(alongAxis: 0)
      let batchVariance = try rows.variance(alongAxis: 0)
      let runningMean = try state[mean]
      let runningVariance = try state[variance]
      let state = try updateState(state, [
        mean: try momentum * runningMean + (1 - momentum) * batchMean,
        variance: try momentum * runningVariance + (1 - momentum) * batchVariance,
      ])
      return (try (x - batchMean) / (batchVariance + epsilon).squareRoot(), state)
    }
    let runningMean = try state[mean]
    let runningVariance = try state[variance]
    return (try (x - runningMean) / (runningVariance + epsilon).squareRoot(), state)
  }
}

extension BatchNorm: StateVisitable {
  /// Visits the running statistics, `.mean` and `.variance`.
  @inlinable
  public mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor) {
    visitor.visit("mean", &mean)
    visitor.visit("variance", &variance)
  }
}
