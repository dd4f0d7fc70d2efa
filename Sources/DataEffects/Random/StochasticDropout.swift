import ExplicitState
import RandomKeys
import TensorLayers

/// Dropout that takes its keys from the random effect: the tutorial's `StochasticDropout`.
///
/// Each call draws the next key of its handler's stream and drops elements as `Dropout` does
/// with that key. In inference (`isTraining` false) it passes its input through and draws
/// no key.
public struct StochasticDropout: Layer, TrainingModeSwitchable {
  /// The probability of dropping each element, in `0..<1`.
  public let dropRate: Float
  /// Where the keys come from.
  public var random: RandomEffect
  /// Whether calls drop elements (training) or pass the input through.
  public var isTraining = true

  /// Creates the layer with an untagged random request.
  ///
  /// - Throws: `TensorError.invalidRate` for a rate outside `0..<1`.
  public init(dropRate: Float) throws {
    _ = try Dropout(rate: dropRate)
    self.dropRate = dropRate
    random = .request
  }

  /// Drops elements of `input` with the next key.
  ///
  /// - Throws: `EffectError` when the random effect is not handled.
  public func callAsFunction(_ input: Tensor) throws -> Tensor {
    guard isTraining else { return input }
    return try Dropout(rate: dropRate)(input, key: random.nextKey())
  }

  /// Visits the random request as `.rng`, Penzai's name.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("rng", &random)
  }
}
