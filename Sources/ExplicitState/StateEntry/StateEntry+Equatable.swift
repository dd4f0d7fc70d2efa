extension StateEntry: Equatable where Value: Equatable {
  /// Entries are equal when both hold equal values, or both hold equal keys.
  public static func == (lhs: StateEntry, rhs: StateEntry) -> Bool {
    switch (lhs.exportedKey, rhs.exportedKey) {
    case (let a?, let b?): return a == b
    case (nil, nil): return lhs.initialValue == rhs.initialValue
    default: return false
    }
  }
}
