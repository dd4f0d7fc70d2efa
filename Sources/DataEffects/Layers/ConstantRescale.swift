import ExplicitState
import TensorLayers

/// Multiplies its input by a constant: Penzai's `ConstantRescale`.
///
/// Takes a `Float`, a `Double` or a `Tensor`.
public struct ConstantRescale: Layer, Equatable {
  /// The factor.
  public var by: Float

  /// Creates the layer.
  public init(by factor: Float) {
    by = factor
  }

  /// Returns `input` times the factor.
  ///
  /// - Throws: `LayerError.unsupportedValue` for a value that is not a number or a tensor.
  public func callAsFunction(_ input: any Sendable) throws -> any Sendable {
    switch input {
    case let x as Float: return x * by
    case let x as Double: return x * Double(by)
    case let x as Tensor: return x * by
    default: throw LayerError.unsupportedValue(layer: "ConstantRescale", found: String(describing: type(of: input)))
    }
  }

  /// Holds nothing to visit.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {}
}
