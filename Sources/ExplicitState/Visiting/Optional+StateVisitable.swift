extension Optional: StateVisitable where Wrapped: StateVisitable {
  /// Visits the wrapped value, if any, under the optional's own path: `nil` holds no entries.
  @inlinable
  public mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor) {
    guard case .some(var wrapped) = self else { return }
    self = nil  // so that `wrapped` is not shared while it is visited
    wrapped._accept(&visitor)
    self = .some(wrapped)
  }
}
