/// The keys of a state, in order, without its values: what a state is checked against.
///
/// States exported or built together share one key set, and checking such a state against
/// it costs O(1).
package struct StateKeySet: Sendable {
  @usableFromInline let keyTable: StorageKeyTable

  @usableFromInline
  init(keyTable: StorageKeyTable) {
    self.keyTable = keyTable
  }

  /// The key set of `keys`, in this order.
  ///
  /// - Throws: `StateError.duplicateKey` for the first key listed twice.
  /// - Complexity: O(*n*).
  package init(_ keys: [StateKey]) throws(StateError) {
    keyTable = try StorageKeyTable.make(keys: keys.enumerated().map { StateKey(pathNumber: $1.pathNumber, slot: $0) })
  }

  /// The keys, in order; each knows its position, so reads through it need no hashing.
  package var keys: [StateKey] { keyTable.keys }

  /// The number of keys.
  package var count: Int { keyTable.keys.count }

  /// Whether `state` has exactly these keys, in any order.
  ///
  /// - Complexity: O(1) for a state of this key set; O(*n*) otherwise.
  package func matches(_ state: State) -> Bool {
    if keyTable === state.keyTable { return true }
    guard count == state.count else { return false }
    return keyTable.keys.allSatisfy { state.keyTable.slot(of: $0) != nil }
  }

  /// The keys `state` lacks, and the keys of `state` that are not in this set.
  ///
  /// - Complexity: O(*n*).
  package func differences(from state: State) -> (missing: [StateKey], extra: [StateKey]) {
    (keyTable.keys.filter { state.keyTable.slot(of: $0) == nil }, state.keyTable.keys.filter { keyTable.slot(of: $0) == nil })
  }
}

extension StateBuilder {
  /// The state of the appended entries, sharing `keySet`'s key table when the keys are the
  /// same, in the same order, so that checking the state against it costs O(1).
  ///
  /// - Throws: `StateError.duplicateKey` for the first key appended twice.
  /// - Complexity: O(*n*).
  package func build(reusing keySet: StateKeySet) throws(StateError) -> State {
    guard keys.count == keySet.count, zip(keys, keySet.keys).allSatisfy({ $0 == $1 }) else { return try build() }
    return State(keyTable: keySet.keyTable, values: columns.makeValues())
  }
}
