import ExplicitState
import TensorLayers

/// A weight with Penzai's name for it, such as `block_0.attn.query.weights`: Penzai V1's
/// `pz.nn.Parameter`.
///
/// The name is what `add_parameter_prefix` built in Penzai, independent of where the weight
/// sits in the tree, so a file of Penzai's parameters loads by name
/// (`GemmaTransformer.loadingPenzaiParameters(from:)`). The value is a parameter of the
/// module (`exportParameters(_:)` finds it at `.value`).
public struct NamedParameter: StateVisitable, Sendable {
  /// The weight.
  public var value: Tensor
  /// Penzai's name.
  public let name: String

  /// A parameter named `name`.
  public init(_ value: Tensor, name: String) {
    self.value = value
    self.name = name
  }

  /// Visits `.value` as a parameter.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visitParameter("value", &value)
  }
}
