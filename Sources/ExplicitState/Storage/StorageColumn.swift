import StateKeysSupport

/// The values of one type gathered for a new state, before its trie is built: what export
/// and `StateBuilder` append to.
///
/// This is the base of `StorageColumn<Value>`, which overrides both methods; a builder keeps the
/// columns of its value types in one array as this class, and never makes one of it itself.
@usableFromInline
class StorageColumnBase {
  /// A column holding the same values, for a builder that was copied.
  @usableFromInline func copy() -> StorageColumnBase { StorageColumnBase() }

  /// The column's trie: its root (a `StorageLeaf` or a `StorageTrie.Node`) and the shift of
  /// its top level, `StorageTrie.shiftPerLevel` per branch level.
  @usableFromInline func makeTrie() -> (root: AnyObject, shift: Int) { (StorageTrie.Node.make([]), 0) }

  @usableFromInline init() {}
}

/// The values of type `Value` gathered for a new state, straight into the leaves the state
/// will hold: a value is moved once, into its leaf, and never copied.
// Appending works through pointers to the current leaf's elements and count, kept beside the
// leaves: the appends of a handler's initial state run in unspecialized code, where each use
// of `StorageLeaf<Value>` or of an array of it looked up the type's metadata. The storage sits
// in a `PointerBox` rather than in stored properties, which Swift would check for exclusive
// access at run time on every append.
@usableFromInline
final class StorageColumn<Value: Sendable>: StorageColumnBase {
  @usableFromInline
  struct Storage {
    /// The full leaves.
    @usableFromInline var full: [AnyObject] = []
    /// The leaf being filled, which has room for 32 values; a state built from this column
    /// also holds it, and an append then copies it first.
    @usableFromInline var current: AnyObject?
    @usableFromInline var count = 0
    /// The elements and the header (with the count) of the current leaf.
    @usableFromInline var currentElements: UnsafeMutablePointer<Value>?
    @usableFromInline var currentHeader: UnsafeMutablePointer<StorageHeader>?

    @inlinable
    init() {}
  }

  @usableFromInline let storage: PointerBox<Storage>

  @inlinable
  override init() {
    storage = PointerBox(Storage())
  }

  /// Appends `value` to the current leaf, or to a new one when it is full.
  @inlinable
  func append(_ value: consuming Value) {
    if storage.pointee.count & StorageTrie.mask == 0 {
      if let full = storage.pointee.current { storage.pointee.full.append(full) }
      makeCurrent(StorageLeaf.makeEmpty(capacity: StorageTrie.branching))
    } else if !isKnownUniquelyReferenced(&storage.pointee.current), let shared = storage.pointee.current {
      makeCurrent(unsafeDowncast(shared, to: StorageLeaf<Value>.self).copy(capacity: StorageTrie.branching))
    }
    if let elements = storage.pointee.currentElements, let header = storage.pointee.currentHeader {
      (elements + header.pointee.count).initialize(to: value)
      header.pointee.count += 1
      storage.pointee.count += 1
    }
  }

  /// Makes `leaf` the one appends fill.
  @usableFromInline
  func makeCurrent(_ leaf: StorageLeaf<Value>) {
    storage.pointee.current = leaf
    storage.pointee.currentElements = leaf.elements
    storage.pointee.currentHeader = leaf.withUnsafeMutablePointerToHeader { $0 }
  }

  /// A column sharing these leaves: neither column changes a leaf the other holds, since
  /// appends copy a shared current leaf first, and full leaves never change.
  @usableFromInline override func copy() -> StorageColumnBase {
    let column = StorageColumn()
    column.storage.pointee = storage.pointee
    return column
  }

  @usableFromInline override func makeTrie() -> (root: AnyObject, shift: Int) {
    var level = storage.pointee.full
    level.append(storage.pointee.current ?? StorageLeaf<Value>.makeEmpty(capacity: 0))
    var shift = 0
    while level.count > 1 {
      level = StorageTrie.Node.parents(of: level)
      shift += StorageTrie.shiftPerLevel
    }
    return (level[0], shift)
  }
}
