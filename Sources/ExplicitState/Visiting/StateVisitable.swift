/// A node of a module tree that can show its children to a visitor.
///
/// Every module whose subtree may hold state entries conforms, by naming its children once,
/// in code the compiler checks:
///
/// ```swift
/// extension MLP: StateVisitable {
///   mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
///     visitor.visit("inStats", &inStats)
///     visitor.visit("layers", &layers)
///   }
/// }
/// ```
///
/// The name given for each child becomes its path component (`.inStats`), so use the
/// property's own name. Children that cannot hold entries, such as a weight tensor, are left
/// out. `StateEntry`, and `Array`, `Optional` and `Dictionary` (with `String` or `Int` keys)
/// of visitable elements, conform already.
///
/// One walk serves every operation: `exportState(_:)`, `importState(_:_:)` and any visitor of
/// your own get the same `inout` access to each entry, so the walk is a plain loop that the
/// compiler specializes, with no reflection.
public protocol StateVisitable {
  /// Calls the visitor's `visit` methods for each child that may hold state entries.
  ///
  /// - Complexity: O(*n*) in the number of nodes below this one.
  mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor)

  /// Hands this node to `visitor`: calls its `visitNode(_:)`, unless the node's type knows a
  /// faster way for that visitor. A hook, underscored as the standard library underscores its
  /// hooks: a module author writes `visitChildren(_:)` alone.
  ///
  /// The default calls `visitor.visitNode(&self)`; implement it only to give a visitor you
  /// know work compiled for your node's type. `visit(_:_:)` and the standard containers call
  /// it where the parent's `visitChildren(_:)` is compiled, which knows the child's type even
  /// when it does not know the visitor's: an effect's slot uses this so that a handler's walk
  /// reaches code specialized for the slot's value type instead of generic code.
  ///
  /// - Complexity: that of `visitor.visitNode(&self)`.
  mutating func _accept<Visitor: StateVisitor>(_ visitor: inout Visitor)
}

extension StateVisitable {
  /// Calls `visitor.visitNode(&self)`.
  @inlinable @inline(__always)
  public mutating func _accept<Visitor: StateVisitor>(_ visitor: inout Visitor) {
    visitor.visitNode(&self)
  }
}
