extension StateEntry: StateVisitable {
  /// Hands the entry to the visitor; an entry is a leaf, so its value is not visited.
  @inlinable
  public mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor) {
    visitor.visit(&self)
  }
}
