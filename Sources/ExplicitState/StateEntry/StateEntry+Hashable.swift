extension StateEntry: Hashable where Value: Hashable {
  /// Hashes the value, or the key of an exported entry.
  public func hash(into hasher: inout Hasher) {
    if let key = exportedKey {
      hasher.combine(1)
      hasher.combine(key)
    } else {
      hasher.combine(0)
      hasher.combine(initialValue)
    }
  }
}
