/// The keys of one export, in order, shared by every state derived from it.
///
/// Updates never add or remove keys, so the layout is made once by `exportState(_:)` and
/// never changes; states derived from one another share it and differ only in their values.
@usableFromInline
final class StateLayout: Sendable {
  @usableFromInline let keys: [StateKey]
  let index: SlotIndex

  /// The layout of the empty state.
  @usableFromInline static let empty = StateLayout(uniqueKeys: [], index: .empty)

  private init(uniqueKeys keys: [StateKey], index: SlotIndex) {
    self.keys = keys
    self.index = index
  }

  /// Makes the layout of `keys`, which must name distinct paths.
  ///
  /// - Throws: `StateError.duplicateKey` for the first path that occurs twice.
  /// - Complexity: O(*n*).
  @usableFromInline
  static func make(keys: [StateKey]) throws(StateError) -> StateLayout {
    if keys.isEmpty { return empty }
    return StateLayout(uniqueKeys: keys, index: try SlotIndex(keys: keys))
  }

  /// The slot of `key`, or `nil` if this layout does not hold it.
  ///
  /// - Complexity: O(1); a key whose slot hint is right, as a key from this layout's export
  ///   or from another export of the same model is, needs no hashing.
  @inlinable
  func slot(of key: StateKey) -> Int? {
    let hint = key.slot
    if hint >= 0, hint < keys.count, keys[hint].pathNumber == key.pathNumber { return hint }
    return slotOfForeignKey(key)
  }

  /// The slot of a key from elsewhere: another export, a parsed name, a key made by hand.
  @usableFromInline
  func slotOfForeignKey(_ key: StateKey) -> Int? {
    index.slot(of: key, in: keys)
  }
}
