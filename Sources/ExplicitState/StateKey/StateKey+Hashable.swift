extension StateKey: Hashable {
  /// Two keys are equal when they spell the same path.
  ///
  /// - Complexity: O(1) for keys from the same export; otherwise O(*n*) in the path length.
  @inlinable
  public static func == (lhs: StateKey, rhs: StateKey) -> Bool {
    lhs.node === rhs.node || lhs.node.hasSamePath(as: rhs.node)
  }

  /// Hashes the path; the hash was computed once, when the key was made.
  @inlinable
  public func hash(into hasher: inout Hasher) {
    hasher.combine(node.hash)
  }
}
