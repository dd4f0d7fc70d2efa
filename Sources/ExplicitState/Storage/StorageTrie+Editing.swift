/// Writing through a trie whose objects an edit owns, asking the runtime whether an object is
/// shared at most once per object and edit.
///
/// `State.edit(_:)` makes the top node unique once, then each write walks down comparing each
/// object's `StorageHeader.owner` with the edit's token. An object with another stamp is checked
/// (and copied if shared) and stamped; after that, writes through it compare one integer. The
/// edit holds the state exclusively and lends no reference to its objects, so nothing can
/// share an object it stamped until it ends, and its token is never used again after.
extension StorageTrie {
  /// The elements of the leaf holding `position` in `column`, whose values are `Value`s, for
  /// writing in an edit whose token is `owner` and which has made the top node unique.
  ///
  /// The leaf and the nodes above it are the edit's afterwards: they stay where they are
  /// until the edit ends. Not `mutating`: below the top node, which the edit has made unique
  /// and which stays, all writes go through pointers, so callers need not reload the state
  /// after a call.
  ///
  /// - Complexity: O(log₃₂ *n*); O(32) more per shared level the first time through it.
  @inlinable @inline(__always)
  func ownedLeaf<Value: Sendable>(
    column: Int, position: Int, as type: Value.Type, owner: Int
  ) -> UnsafeMutablePointer<Value> {
    let cell = leafCell(column: column, position: position, OwningDescent(owner: owner))
    if Self.owner(of: cell, as: StorageLeaf<Value>.self) != owner { Self.takeLeaf(in: cell, as: Value.self, owner: owner) }
    return unsafeDowncast(cell.pointee, to: StorageLeaf<Value>.self).elements
  }

  /// The token stamped on the object in `cell`, which is an `Object`.
  @inlinable @inline(__always)
  static func owner<Object: ManagedBuffer<StorageHeader, Element>, Element>(
    of cell: UnsafeMutablePointer<AnyObject>, as type: Object.Type
  ) -> Int {
    unsafeDowncast(cell.pointee, to: Object.self).owner
  }

  /// Makes the node in `cell` the edit's: a copy if it is shared, then stamped.
  @usableFromInline
  static func takeNode(in cell: UnsafeMutablePointer<AnyObject>, owner: Int) {
    if !isUnique(cell, as: Node.self) {
      cell.pointee = unsafeDowncast(cell.pointee, to: Node.self).copy()
    }
    unsafeDowncast(cell.pointee, to: Node.self).owner = owner
  }

  /// Makes the leaf in `cell` the edit's: a copy if it is shared, then stamped.
  // Out of line: it runs once per leaf and edit, and inlined it would crowd the write's loop.
  @inlinable @inline(never)
  static func takeLeaf<Value: Sendable>(in cell: UnsafeMutablePointer<AnyObject>, as type: Value.Type, owner: Int) {
    if !isUnique(cell, as: StorageLeaf<Value>.self) {
      cell.pointee = unsafeDowncast(cell.pointee, to: StorageLeaf<Value>.self).copy()
    }
    unsafeDowncast(cell.pointee, to: StorageLeaf<Value>.self).owner = owner
  }
}
