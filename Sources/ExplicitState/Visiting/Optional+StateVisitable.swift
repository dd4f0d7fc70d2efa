extension Optional: StateVisitable where Wrapped: StateVisitable {
  /// Visits the wrapped value, if any, under the optional's own path: `nil` holds no entries.
  @inlinable
  public mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor) {
    self?.visitChildren(&visitor)
  }
}
