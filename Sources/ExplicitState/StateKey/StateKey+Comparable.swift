extension StateKey: Comparable {
  /// Orders keys by their components, so `.layers[2]` comes before `.layers[10]`.
  ///
  /// - Complexity: O(*n*) in the length of the shorter path.
  public static func < (lhs: StateKey, rhs: StateKey) -> Bool {
    lhs.components.lexicographicallyPrecedes(rhs.components)
  }
}
