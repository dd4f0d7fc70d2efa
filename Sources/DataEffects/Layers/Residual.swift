import ExplicitState
import TensorLayers

/// Adds its body's output to its input: Penzai's `Residual`, `x + body(x)`.
///
/// Takes a `Float`, a `Double` or a `Tensor`, and a body that returns the same type.
public struct Residual: Layer {
  /// The layer whose output is added.
  public var body: AnyLayer

  /// Creates the combinator.
  public init(_ body: some Layer) {
    self.body = AnyLayer(body)
  }

  /// Returns `input + body(input)`.
  ///
  /// - Throws: `LayerError.unsupportedValue` when the two values cannot be added, and
  ///   whatever the body throws.
  public func callAsFunction(_ input: any Sendable) throws -> any Sendable {
    let delta = try body(input)
    switch (input, delta) {
    case (let x as Float, let d as Float): return x + d
    case (let x as Double, let d as Double): return x + d
    case (let x as Tensor, let d as Tensor): return try x + d
    default:
      throw LayerError.unsupportedValue(
        layer: "Residual", found: "\(type(of: input)) + \(type(of: delta))")
    }
  }

  /// Visits the body as `.delta`, Penzai's name.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("delta", &body)
  }
}
