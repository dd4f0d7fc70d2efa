extension Array: StateVisitable where Element: StateVisitable {
  /// Visits each element, under its index (`[0]`, `[1]`, ...).
  @inlinable
  public mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor) {
    for index in indices {
      visitor.enter(.index(index))
      visitor.visitNode(&self[index])
      visitor.exit()
    }
  }
}
