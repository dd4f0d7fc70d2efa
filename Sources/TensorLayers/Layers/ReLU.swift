import _Differentiation
import ExplicitState

/// The rectified linear unit as a layer: `max(x, 0)` elementwise.
public struct ReLU: Sendable, Equatable, Differentiable {
  /// Creates the layer.
  public init() {}

  /// Applies `relu(_:)` to `x`.
  @inlinable
  public func callAsFunction(_ x: Tensor) -> Tensor { relu(x) }
}

extension ReLU: StateVisitable {
  /// ReLU holds no state: there is nothing to visit.
  @inlinable
  public mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor) {}
}
