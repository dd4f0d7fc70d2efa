extension StateKey: Hashable {
  /// Two keys are equal when they spell the same path.
  ///
  /// Each path is stored once per process, so this compares the paths' numbers.
  ///
  /// - Complexity: O(1).
  @inlinable
  public static func == (lhs: StateKey, rhs: StateKey) -> Bool {
    lhs.pathNumber == rhs.pathNumber
  }

  /// Hashes the path, by its number.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func hash(into hasher: inout Hasher) {
    hasher.combine(pathNumber)
  }
}
