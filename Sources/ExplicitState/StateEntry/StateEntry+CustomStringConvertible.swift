extension StateEntry: CustomStringConvertible {
  /// `StateEntry(Float[16])` before export, the key (`StateKey(".inStats.first")`) after.
  public var description: String {
    switch storage {
    case .value(let value): return "StateEntry(\(stateSummary(of: value)))"
    case .key(let key): return key.description
    }
  }
}
