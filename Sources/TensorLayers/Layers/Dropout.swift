import _Differentiation
import ExplicitState
import RandomKeys

/// Dropout, as Inox's `nn.TrainingDropout`: zeroes each element with probability `rate` and
/// scales the rest by `1 / (1 − rate)`, in training; passes `x` through in inference.
///
/// The mask is `jax.random.bernoulli(key, 1 − rate, x.shape)`, so the same key drops the
/// same elements as Inox.
public struct Dropout: Sendable, Equatable, Differentiable {
  /// The probability of dropping each element, in `0..<1`.
  @noDerivative public let rate: Float
  /// Whether calls drop elements (training) or pass the input through.
  @noDerivative public var isTraining: Bool

  /// Creates the layer.
  ///
  /// - Throws: `TensorError.invalidRate` for a rate outside `0..<1`.
  public init(rate: Float = 0.5, isTraining: Bool = true) throws(TensorError) {
    guard rate >= 0, rate < 1 else { throw .invalidRate(rate) }
    self.rate = rate
    self.isTraining = isTraining
  }

  /// Applies dropout to `x` with a mask drawn from `key`.
  ///
  /// - Throws: never for a valid layer; `TensorError.random` would report a bad draw.
  public func callAsFunction(_ x: Tensor, key: RandomKey) throws(TensorError) -> Tensor {
    guard isTraining, rate > 0 else { return x }
    let keep: [Bool]
    do {
      keep = try key.bernoulli(probability: 1 - rate, shape: x.shape)
    } catch {
      throw .random(error)
    }
    let scale = 1 - rate
    var result = x
    for index in result.storage.indices {
      result.storage[index] = keep[index] ? result.storage[index] / scale : 0
    }
    return result
  }
}

extension Dropout: StateVisitable {
  /// Dropout holds no state: there is nothing to visit.
  @inlinable
  public mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor) {}
}
