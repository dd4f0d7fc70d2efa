/// The one walk from a column's root down to a leaf, and what it does at each node on the
/// way: nothing (a read), copy the node if it is shared (a write outside an edit), or make the
/// node the current edit's (a write in an edit).
///
/// Every read and write of a value goes through `leafCell(column:position:_:)`; the three
/// policies below are all the ways it is used. Each call is specialized for its policy, so a
/// read pays nothing for the writes' checks.
@usableFromInline
protocol StorageDescent {
  /// Prepares the node in `cell` before the walk steps into one of its children.
  func enter(_ cell: UnsafeMutablePointer<AnyObject>)
}

/// A descent that changes nothing: a read.
@usableFromInline
struct ReadingDescent: StorageDescent {
  @inlinable init() {}

  @inlinable @inline(__always)
  func enter(_ cell: UnsafeMutablePointer<AnyObject>) {}
}

/// A descent that copies each shared node it passes, so that the path it leaves behind is
/// referenced by one state only: a write outside an edit. The caller has made the top node
/// unique first.
@usableFromInline
struct UniquingDescent: StorageDescent {
  @inlinable init() {}

  @inlinable @inline(__always)
  func enter(_ cell: UnsafeMutablePointer<AnyObject>) {
    if !StorageTrie.isUnique(cell, as: StorageTrie.Node.self) {
      cell.pointee = unsafeDowncast(cell.pointee, to: StorageTrie.Node.self).copy()
    }
  }
}

/// A descent that makes each node it passes the edit's: unless it carries the edit's stamp,
/// it is copied if shared, then stamped. The caller holds the state exclusively for the edit
/// and has made the top node unique.
@usableFromInline
struct OwningDescent: StorageDescent {
  /// The edit's token.
  @usableFromInline let owner: Int

  @inlinable
  init(owner: Int) {
    assert(owner > 0, "an edit's token is positive; 0 marks objects no edit owns")
    self.owner = owner
  }

  @inlinable @inline(__always)
  func enter(_ cell: UnsafeMutablePointer<AnyObject>) {
    if StorageTrie.owner(of: cell, as: StorageTrie.Node.self) != owner { StorageTrie.takeNode(in: cell, owner: owner) }
  }
}

extension StorageTrie {
  /// The cell holding the leaf of `position` in `column`, reached from the top node through
  /// `descent`; the leaf itself is as the descent found it.
  ///
  /// The cell stays valid while the trie is not otherwise changed: the nodes above it are
  /// kept alive by this trie, and a later uniquing or owning descent copies only nodes that
  /// are shared, which the nodes on a path just made unique or owned are not.
  ///
  /// - Complexity: O(log₃₂ *n*), plus the descent's work per level.
  @inlinable @inline(__always)
  func leafCell<Descent: StorageDescent>(
    column: Int, position: Int, _ descent: Descent
  ) -> UnsafeMutablePointer<AnyObject> {
    assert(column >= 0 && column < root.count, "a column of this trie")
    assert(position >= 0 && position < Self.branching << placement.columnShifts[column], "a position within the column's levels")
    // The trie keeps every node on the path alive, so the walk needs no retains.
    var cell = root.elements + column
    var shift = placement.columnShifts[column]
    while shift > 0 {
      assert(cell.pointee is Node, "a node above the leaves' level")
      descent.enter(cell)
      cell = unsafeDowncast(cell.pointee, to: Node.self).elements + ((position &>> shift) & Self.mask)
      shift -= Self.shiftPerLevel
    }
    assert(!(cell.pointee is Node), "a leaf at the leaves' level")
    return cell
  }
}
