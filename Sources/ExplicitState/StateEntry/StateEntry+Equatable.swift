extension StateEntry: Equatable where Value: Equatable {
  /// Entries are equal when both hold equal values, or both hold equal keys.
  public static func == (lhs: StateEntry, rhs: StateEntry) -> Bool {
    switch (lhs.storage, rhs.storage) {
    case (.value(let a), .value(let b)): return a == b
    case (.key(let a), .key(let b)): return a == b
    default: return false
    }
  }
}
