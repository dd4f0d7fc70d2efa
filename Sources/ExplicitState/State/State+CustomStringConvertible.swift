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
    // Each key's components are read from the table of paths once, not once per comparison.
    let lines = keyTable.keys.indices
      .map { (key: keyTable.keys[$0], components: keyTable.keys[$0].components, slot: $0) }
      .sorted { $0.components.lexicographicallyPrecedes($1.components) }
      .map { "  \($0.key): \(stateSummary(of: values.anyValue(at: $0.slot) ?? "?"))" }
    return "State {\n" + lines.joined(separator: "\n") + "\n}"
  }
}
