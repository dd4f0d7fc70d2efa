/// Up to 32 values of one type, stored inline: a leaf of one column of a state's trie.
///
/// A state keeps the values of each type in a column of its own, so a value needs no heap cell
/// of its own: a read follows the trie to a leaf and indexes it, and a typed read compares the
/// column's type once instead of casting. Elements are reached through a pointer, so reads
/// and in-place writes pay no dynamic exclusivity checks.
///
/// A leaf is never changed while it is shared: `StorageTrie` writes in place only into leaves
/// it holds the only reference to, and copies shared ones first.
@usableFromInline
final class StorageLeaf<Value: Sendable>: ManagedBuffer<StorageHeader, Value> {
  /// An empty leaf with room for `capacity` values, to be filled by `append(_:)`.
  @inlinable
  static func makeEmpty(capacity: Int) -> StorageLeaf {
    unsafeDowncast(StorageLeaf.create(minimumCapacity: capacity) { _ in StorageHeader(count: 0) }, to: StorageLeaf.self)
  }

  /// Moves `value` in after the last value; the leaf must have room and not be shared.
  @inlinable
  func append(_ value: consuming Value) {
    let header = withUnsafeMutablePointerToHeader { $0 }
    (elements + header.pointee.count).initialize(to: value)
    header.pointee.count += 1
  }

  /// A leaf holding copies of the same values, with room for `capacity` in all.
  @usableFromInline
  func copy(capacity: Int = 0) -> StorageLeaf {
    let copy = StorageLeaf.makeEmpty(capacity: max(capacity, count))
    for index in 0..<count { copy.append(elements[index]) }
    return copy
  }

  deinit {
    deinitializeElements()
  }
}

/// What the slow paths (printing, untyped reads and updates) need of a leaf of any type.
@usableFromInline
protocol ErasedStorageLeaf: AnyObject {
  /// The value at `index`, as an existential.
  func anyValue(at index: Int) -> any Sendable
  /// The name of the values' type, for error messages.
  var valueTypeName: String { get }
  /// Writes `value` at `index` if it is a value of this leaf's type; `false` otherwise. The
  /// caller makes sure the leaf is not shared.
  func setAnyValue(_ value: any Sendable, at index: Int) -> Bool
  /// A leaf holding copies of the same values.
  func copyLeaf() -> AnyObject
  /// Whether `value` has this leaf's type.
  func canHold(_ value: any Sendable) -> Bool
  /// The values' type, as a column records it.
  var valueType: ObjectIdentifier { get }
  /// The number of values, and the token of the edit that owns the leaf (0 for none):
  /// `ManagedBuffer`'s own `header`.
  var header: StorageHeader { get }
}

extension StorageLeaf: ErasedStorageLeaf {
  @usableFromInline func anyValue(at index: Int) -> any Sendable { elements[index] }

  @usableFromInline var valueTypeName: String { String(describing: Value.self) }

  @usableFromInline func setAnyValue(_ value: any Sendable, at index: Int) -> Bool {
    guard let typed = value as? Value else { return false }
    elements[index] = typed
    return true
  }

  @usableFromInline func copyLeaf() -> AnyObject { copy() }

  @usableFromInline func canHold(_ value: any Sendable) -> Bool { value is Value }

  @usableFromInline var valueType: ObjectIdentifier { ObjectIdentifier(Value.self) }
}

/// `object`, a leaf of some column, with its erased operations.
@usableFromInline
func erasedLeaf(_ object: AnyObject) -> (any ErasedStorageLeaf)? {
  object as? any ErasedStorageLeaf
}
