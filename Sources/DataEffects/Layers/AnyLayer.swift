import ExplicitState

/// A layer of any type, called with a value of any type: the element of `Sequential`.
///
/// Calling it checks that the value is the wrapped layer's `Input`, and throws
/// `LayerError.inputTypeMismatch` naming both types when it is not. In the model tree it is
/// transparent: its path is the wrapped layer's.
public struct AnyLayer: Layer {
  /// The wrapped layer.
  public private(set) var base: any Layer

  /// Wraps `layer`; wrapping an `AnyLayer` unwraps it first.
  public init(_ layer: some Layer) {
    if let erased = layer as? AnyLayer {
      base = erased.base
    } else {
      base = layer
    }
  }

  /// Calls the wrapped layer with `input`, which must be its `Input`.
  ///
  /// - Throws: `LayerError.inputTypeMismatch` for an input of another type, and whatever the
  ///   layer throws.
  public func callAsFunction(_ input: any Sendable) throws -> any Sendable {
    try base.callAsFunction(anyInput: input)
  }

  /// Visits the wrapped layer, as if it stood here itself.
  ///
  /// A read-only visitor sees a copy of the layer, so the layer's storage, which copies of
  /// this `AnyLayer` share, is not copied first.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    if V.isReadOnly {
      Self.visitCopy(of: base, &visitor)
    } else {
      Self.visitOpened(&base, &visitor)
    }
  }

  private static func visitCopy<L: Layer, V: StateVisitor>(of layer: L, _ visitor: inout V) {
    var copy = layer
    visitor.visitNode(&copy)
  }

  private static func visitOpened<L: Layer, V: StateVisitor>(_ layer: inout L, _ visitor: inout V) {
    visitor.visitNode(&layer)
  }
}

extension AnyLayer: CustomStringConvertible {
  /// The wrapped layer's description.
  public var description: String { String(describing: base) }
}
