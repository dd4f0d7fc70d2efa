/// The keys of one export, in order, shared by every state derived from it.
///
/// Updates never add or remove keys, so the table is made once by `exportState(_:)` and
/// never changes; states derived from one another share it and differ only in their values.
@usableFromInline
final class StorageKeyTable: Sendable {
  @usableFromInline let keys: [StateKey]
  let index: StorageKeyIndex

  /// The key table of the empty state.
  @usableFromInline static let empty = StorageKeyTable(uniqueKeys: [], index: .empty)

  private init(uniqueKeys keys: [StateKey], index: StorageKeyIndex) {
    self.keys = keys
    self.index = index
  }

  /// Makes the key table of `keys`, which must name distinct paths.
  ///
  /// - Throws: `StateError.duplicateKey` for the first path that occurs twice.
  /// - Complexity: O(*n*).
  @usableFromInline
  static func make(keys: [StateKey]) throws(StateError) -> StorageKeyTable {
    if keys.isEmpty { return empty }
    return StorageKeyTable(uniqueKeys: keys, index: try StorageKeyIndex(keys: keys))
  }

  /// The slot of `key`, or `nil` if this table does not hold it.
  ///
  /// - Complexity: O(1); a key whose slot hint is right, as a key from this table's export
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
