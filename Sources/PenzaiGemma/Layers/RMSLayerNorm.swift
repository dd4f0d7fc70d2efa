import DataEffects
import ExplicitState
import TensorLayers

/// Root-mean-square layer normalization over the last axis, then a learned scale: Penzai's
/// `RMSLayerNorm` (`RMSStandardize` with ε = 10⁻⁶, then `scale`, a `[embedding]` weight).
public struct RMSLayerNorm: Layer {
  /// The scale, `[embedding]`, named `PREFIX.scale.weights`.
  public var scale: NamedParameter
  /// Added to the mean square before its root.
  public let epsilon: Float

  /// A norm whose scale is `scale`.
  public init(scale: NamedParameter, epsilon: Float = 1e-6) {
    self.scale = scale
    self.epsilon = epsilon
  }

  /// `x / √(mean(x²) + ε) · scale` for each row of `x`, `[s, embedding]`.
  ///
  /// - Throws: `TensorError.incompatibleShapes` when the rows are not as wide as the scale.
  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    let width = scale.value.count
    guard let last = x.shape.last, last == width, width > 0 else {
      throw TensorError.incompatibleShapes(operation: "RMSLayerNorm", x.shape, scale.value.shape)
    }
    var result = x.scalars
    let weights = scale.value.scalars
    result.withUnsafeMutableBufferPointer { values in
      var start = 0
      while start < values.count {
        var sumOfSquares: Float = 0
        for i in start..<(start + width) { sumOfSquares += values[i] * values[i] }
        let factor = 1 / (sumOfSquares / Float(width) + epsilon).squareRoot()
        for i in 0..<width { values[start + i] = values[start + i] * factor * weights[i] }
        start += width
      }
    }
    return try Tensor(shape: x.shape, scalars: result)
  }

  /// Visits `.scale`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("scale", &scale)
  }
}
