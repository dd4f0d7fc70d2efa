import ExplicitState

/// Returns its input unchanged: Penzai's `Identity`.
public struct Identity: Layer, Equatable {
  /// Creates the layer.
  public init() {}

  /// Returns `input`.
  public func callAsFunction(_ input: any Sendable) -> any Sendable { input }

  /// Holds nothing to visit.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {}
}
