/// The keys of one export, in order, shared by every state derived from it.
///
/// Updates never add or remove keys, so the layout is made once by `exportState(_:)` and
/// never changes; states derived from one another share it and differ only in their values.
@usableFromInline
final class StateLayout: Sendable {
  @usableFromInline let keys: [StateKey]
  @usableFromInline let slots: [StateKey: Int]

  /// The layout of the empty state.
  @usableFromInline static let empty = StateLayout(uniqueKeys: [], slots: [:])

  private init(uniqueKeys keys: [StateKey], slots: [StateKey: Int]) {
    self.keys = keys
    self.slots = slots
  }

  /// Makes the layout of `keys`, which must name distinct paths.
  ///
  /// - Throws: `StateError.duplicateKey` for the first path that occurs twice.
  /// - Complexity: O(*n*).
  @usableFromInline
  static func make(keys: [StateKey]) throws(StateError) -> StateLayout {
    if keys.isEmpty { return empty }
    var slots: [StateKey: Int] = [:]
    slots.reserveCapacity(keys.count)
    for (slot, key) in keys.enumerated() {
      if slots.updateValue(slot, forKey: key) != nil { throw .duplicateKey(key) }
    }
    return StateLayout(uniqueKeys: keys, slots: slots)
  }

  /// The slot of `key`, or `nil` if this layout does not hold it.
  ///
  /// - Complexity: O(1); a key from this layout's export needs no hashing.
  @inlinable
  func slot(of key: StateKey) -> Int? {
    let hint = key.slot
    if hint >= 0, hint < keys.count, keys[hint].node === key.node { return hint }
    return slots[key]
  }
}
