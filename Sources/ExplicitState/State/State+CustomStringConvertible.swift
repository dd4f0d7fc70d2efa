extension State: CustomStringConvertible {
  /// One line per entry, sorted by key, each value shown by `stateSummary(of:)`.
  ///
  /// ```text
  /// State {
  ///   StateKey(".inStats.first"): Float[16]
  ///   StateKey(".inStats.second"): Float[16]
  /// }
  /// ```
  ///
  /// - Complexity: O(*n* log *n*).
  public var description: String {
    if isEmpty { return "State {}" }
    let lines = layout.keys.indices
      .map { (key: layout.keys[$0], slot: $0) }
      .sorted { $0.key < $1.key }
      .map { "  \($0.key): \(stateSummary(of: values.anyValue(at: $0.slot) ?? "?"))" }
    return "State {\n" + lines.joined(separator: "\n") + "\n}"
  }
}
