import ExplicitState
import RandomKeys
import TensorLayers
import _Differentiation

/// Dropout that takes its keys from the random effect: the tutorial's `StochasticDropout`.
///
/// Each call draws the next key of its handler's stream and drops elements as `Dropout` does
/// with that key. In inference (`isTraining` false) it passes its input through and draws
/// no key.
public struct StochasticDropout: Layer, TrainingModeSwitchable, Differentiable {
  /// The probability of dropping each element, in `0..<1`.
  @noDerivative public let dropRate: Float
  /// Where the keys come from.
  @noDerivative public var random: RandomEffect
  /// Whether calls drop elements (training) or pass the input through.
  @noDerivative public var isTraining = true

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

  /// Drops elements of `x` with the next key, differentiable with respect to `x`: the form of
  /// the call for `valueWithGradient`, inside the handler's stream (see
  /// `WithRandomKeyFromArg.withStream(for:_:)`).
  ///
  /// An unhandled random effect is deferred as `EffectError` (see `withDeferredErrors(_:)`).
  ///
  /// - Complexity: O(*n*) in the size of `x`.
  @differentiable(reverse)
  public func forward(_ x: Tensor) -> Tensor {
    guard withoutDerivative(at: isTraining) else { return x }
    guard let layer = withoutDerivative(at: try? Dropout(rate: dropRate)), let key = withoutDerivative(at: nextKey()) else {
      return withoutDerivative(at: x) * 0
    }
    return layer.forward(x, key: key)
  }

  /// The next key of the handler's stream, or `nil` after deferring the error.
  func nextKey() -> RandomKey? {
    do {
      return try random.nextKey()
    } catch {
      deferError(error)
      return nil
    }
  }

  /// Visits the random request as `.rng`, Penzai's name.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("rng", &random)
  }
}

extension StochasticDropout: DifferentiableLayer {
  /// `forward(x)`, with the state passed through.
  @differentiable(reverse)
  public func forward(_ x: Tensor, _ state: State) -> Stateful<Tensor> { Stateful(forward(x), state: state) }
}
