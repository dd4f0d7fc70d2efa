extension StateEntry: Hashable where Value: Hashable {
  /// Hashes the value, or the key of an exported entry.
  public func hash(into hasher: inout Hasher) {
    switch storage {
    case .value(let value):
      hasher.combine(0)
      hasher.combine(value)
    case .key(let key):
      hasher.combine(1)
      hasher.combine(key)
    }
  }
}
