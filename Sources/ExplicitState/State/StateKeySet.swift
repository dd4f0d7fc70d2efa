/// The keys of a state, in order, without its values: what a state is checked against.
///
/// States exported or built together share one key set, and checking such a state against
/// it costs O(1).
package struct StateKeySet: Sendable {
  @usableFromInline let layout: StateLayout

  @usableFromInline
  init(layout: StateLayout) {
    self.layout = layout
  }

  /// The key set of `keys`, in this order.
  ///
  /// - Throws: `StateError.duplicateKey` for the first key listed twice.
  /// - Complexity: O(*n*).
  package init(_ keys: [StateKey]) throws(StateError) {
    layout = try StateLayout.make(keys: keys.enumerated().map { StateKey(pathNumber: $1.pathNumber, slot: $0) })
  }

  /// The keys, in order; each knows its position, so reads through it need no hashing.
  package var keys: [StateKey] { layout.keys }

  /// The number of keys.
  package var count: Int { layout.keys.count }

  /// Whether `state` has exactly these keys, in any order.
  ///
  /// - Complexity: O(1) for a state of this key set; O(*n*) otherwise.
  package func matches(_ state: State) -> Bool {
    if layout === state.layout { return true }
    guard count == state.count else { return false }
    return layout.keys.allSatisfy { state.layout.slot(of: $0) != nil }
  }

  /// The keys `state` lacks, and the keys of `state` that are not in this set.
  ///
  /// - Complexity: O(*n*).
  package func differences(from state: State) -> (missing: [StateKey], extra: [StateKey]) {
    (layout.keys.filter { state.layout.slot(of: $0) == nil }, state.layout.keys.filter { layout.slot(of: $0) == nil })
  }
}

extension StateBuilder {
  /// The state of the appended entries, sharing `keySet`'s layout when the keys are the
  /// same, in the same order, so that checking the state against it costs O(1).
  ///
  /// - Throws: `StateError.duplicateKey` for the first key appended twice.
  /// - Complexity: O(*n*).
  package func build(reusing keySet: StateKeySet) throws(StateError) -> State {
    guard keys.count == keySet.count, zip(keys, keySet.keys).allSatisfy({ $0 == $1 }) else { return try build() }
    return State(layout: keySet.layout, values: columns.makeValues())
  }
}
