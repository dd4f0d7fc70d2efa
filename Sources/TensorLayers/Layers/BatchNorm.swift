import _Differentiation
import ExplicitState

/// Batch normalization with running statistics kept in the state, as Inox's `nn.BatchNorm`.
///
/// In training, the layer normalizes with the batch's mean and (population) variance over
/// every axis but the last, and returns a state whose running statistics moved toward them:
/// `running = momentum · running + (1 − momentum) · batch`. In inference, it normalizes with
/// the running statistics and returns the state unchanged.
///
/// Its state is Inox's: one entry, `stats`, holding both statistics, so a checkpoint names them
/// `.stats.mean` and `.stats.var` as Python names Inox's (see `Statistics`).
///
/// ```swift
/// var norm = try BatchNorm(channels: 3)
/// let (exported, state) = try exportState(norm)
/// let (y, newState) = try exported(x, state)      // x: Float[batch, 3]
/// ```
public struct BatchNorm: Sendable, Equatable, Differentiable {
  /// The running mean and variance of each channel, one state value: Inox's `Statistics`.
  ///
  /// It names its two tensors as Inox's named tuple does, `.mean` and `.var`, through
  /// `StateVisitable`: a structured state value shows its leaves as a module shows its
  /// parameters, and checkpoints store each leaf under the entry's path followed by its own.
  public struct Statistics: Sendable, Equatable, StateVisitable {
    /// The running mean of each channel; starts at zero.
    public var mean: Tensor
    /// The running variance of each channel; starts at one. Inox names it `var`.
    public var variance: Tensor

    /// Creates the statistics.
    public init(mean: Tensor, variance: Tensor) {
      self.mean = mean
      self.variance = variance
    }

    /// Visits `.mean` and `.var` as parameters.
    public mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor) {
      visitor.visitParameter("mean", &mean)
      visitor.visitParameter("var", &variance)
    }
  }

  /// The running statistics, Inox's `stats` entry.
  @noDerivative public var stats: StateEntry<Statistics>
  /// Added to the variance before the square root.
  @noDerivative public var epsilon: Float
  /// The weight of the old running statistics in each update.
  @noDerivative public var momentum: Float
  /// Whether calls use and update batch statistics (training) or use the running ones.
  @noDerivative public var isTraining: Bool

  /// Creates the layer for `channels` features.
  ///
  /// - Throws: `TensorError.invalidShape` for a negative channel count.
  public init(
    channels: Int, epsilon: Float = 1e-5, momentum: Float = 0.9, isTraining: Bool = true
  ) throws(TensorError) {
    stats = StateEntry(Statistics(mean: try .zeros([channels]), variance: try .ones([channels])))
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
    let running = try state[stats]
    if isTraining {
      guard x.rank > 1, let channels = x.shape.last else {
        throw TensorError.notBatched(layer: "BatchNorm", shape: x.shape)
      }
      let rows = try x.reshaped(to: [-1, channels])
      let batchMean = try rows.mean(alongAxis: 0)
      let batchVariance = try rows.variance(alongAxis: 0)
      let updated = Statistics(
        mean: try momentum * running.mean + (1 - momentum) * batchMean,
        variance: try momentum * running.variance + (1 - momentum) * batchVariance)
      let state = try updateState(state, [stats: updated])
      return (try (x - batchMean) / (batchVariance + epsilon).squareRoot(), state)
    }
    return (try (x - running.mean) / (running.variance + epsilon).squareRoot(), state)
  }
}

extension BatchNorm.Statistics: CustomStateSummaryConvertible {
  /// `Statistics(mean: Float[64], var: Float[64])`, Inox's names.
  public var stateSummary: String {
    "Statistics(mean: \(mean.stateSummary), var: \(variance.stateSummary))"
  }
}

extension BatchNorm: StateVisitable {
  /// Visits the running statistics, `.stats`.
  @inlinable
  public mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor) {
    visitor.visit("stats", &stats)
  }
}
