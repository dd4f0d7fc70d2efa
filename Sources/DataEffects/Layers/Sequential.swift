import ExplicitState

/// Runs its sublayers in order, each on the previous one's output: Penzai's `Sequential`.
///
/// Sublayers may have different types, and values may change type from one to the next, as
/// in Penzai; each sublayer checks its input's type when called.
///
/// ```swift
/// let model = Sequential([ExampleLayerWithAState(), ConstantRescale(by: 2), ExampleLayerWithAState()])
/// ```
public struct Sequential: Layer {
  /// The layers, in calling order.
  public var sublayers: [AnyLayer]

  /// Creates the combinator from layers of any types.
  public init(_ sublayers: [AnyLayer]) {
    self.sublayers = sublayers
  }

  /// Creates the combinator from layers of any types.
  public init(_ sublayers: [any Layer]) {
    self.sublayers = sublayers.map { AnyLayer(erasing: $0) }
  }

  /// Runs the sublayers in order.
  ///
  /// - Throws: `LayerError.inputTypeMismatch` when a sublayer cannot take its predecessor's
  ///   output, and whatever a sublayer throws.
  public func callAsFunction(_ input: any Sendable) throws -> any Sendable {
    var value = input
    for layer in sublayers {
      value = try layer(value)
    }
    return value
  }

  /// Visits `.sublayers`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("sublayers", &sublayers)
  }
}

extension AnyLayer {
  /// Wraps an existential layer.
  init(erasing layer: any Layer) {
    if let erased = layer as? AnyLayer {
      self = erased
    } else {
      self.init(layer)
    }
  }
}
