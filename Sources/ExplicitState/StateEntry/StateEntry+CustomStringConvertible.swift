extension StateEntry: CustomStringConvertible {
  /// `StateEntry(Float[16])` before export, the key (`StateKey(".inStats.first")`) after.
  public var description: String {
    if let key = exportedKey { return key.description }
    return "StateEntry(\(initialValue.map { stateSummary(of: $0) } ?? "?"))"
  }
}
