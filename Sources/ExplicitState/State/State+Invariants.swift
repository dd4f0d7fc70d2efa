extension State {
  /// The ways this state's storage breaks its invariants, in words; empty for a sound state.
  ///
  /// Checks every key's slot in the key table, the placement (one column per type, each
  /// column's positions `0..<n` used once), and each column's trie: the shape of its levels
  /// (full nodes and leaves but the last, at the depth the column's shift says), every leaf's
  /// count and type, and every object's edit stamp (never a token not yet given out). Tests
  /// call it after edits and updates; nothing else should, as it reads the whole state.
  ///
  /// - Complexity: O(*n*) in the number of values.
  package func invariantViolations() -> [String] {
    var problems: [String] = []
    let keys = keyTable.keys
    if keys.count != values.count { problems.append("\(keys.count) keys for \(values.count) values") }
    for (index, key) in keys.enumerated() where keyTable.slot(of: key) != index {
      problems.append("key \(key) at slot \(index) is found at \(keyTable.slot(of: key).map(String.init) ?? "no slot")")
    }
    problems += values.invariantViolations()
    return problems
  }
}
