/// The values of a state, one column per value type, each column a fixed-shape 32-way trie
/// whose leaves hold the values inline; copied on write.
///
/// A state's set of keys never changes after export, and updates never change a value's
/// type, so the tries never grow or shrink: a slot's column and position are fixed (the
/// `StoragePlacement`), and reading it walks ⌈log₃₂ n⌉ levels of its column. Writing through a
/// trie that no other state shares changes it in place, which is what the natural call
/// pattern `state = layer(x, state)` gets when its `state` parameter is `consuming`. Writing
/// through a shared trie copies only the nodes on the path to the value and its leaf, never
/// the whole state, so keeping an old state alive costs O(log n) per update instead of O(n).
///
/// The top node's children are the columns' roots; below them, branch nodes, then leaves.
@usableFromInline
struct StorageTrie: @unchecked Sendable {
  @usableFromInline static let shiftPerLevel = 5
  @usableFromInline static let branching = 1 << shiftPerLevel
  @usableFromInline static let mask = branching - 1

  /// The node whose children are the columns' roots.
  @usableFromInline var root: Node
  @usableFromInline let placement: StoragePlacement

  /// A branch node: up to 32 children, which are nodes or leaves (the top node has one child
  /// per column, however many).
  ///
  /// The children are tail-allocated and reached through pointers, so walking the trie pays
  /// no dynamic exclusivity checks. The header holds the number of children.
  @usableFromInline
  final class Node: ManagedBuffer<StorageHeader, AnyObject> {
    /// A node holding `children`.
    @inlinable
    static func make<C: Collection<AnyObject>>(_ children: C) -> Node {
      let node = unsafeDowncast(Node.create(minimumCapacity: children.count) { _ in StorageHeader(count: children.count) }, to: Node.self)
      node.withUnsafeMutablePointerToElements { elements in
        for (offset, child) in children.enumerated() {
          (elements + offset).initialize(to: child)
        }
      }
      return node
    }

    /// The level above `level`: its objects, 32 to a node.
    static func parents(of level: [AnyObject]) -> [AnyObject] {
      var parents: [AnyObject] = []
      parents.reserveCapacity(level.count / StorageTrie.branching + 1)
      var index = 0
      while index < level.count {
        let end = min(index + StorageTrie.branching, level.count)
        parents.append(Node.make(level[index..<end]))
        index = end
      }
      return parents
    }

    /// A node with the same children, each retained once more.
    @usableFromInline
    func copy() -> Node {
      Node.make(UnsafeBufferPointer(start: elements, count: count))
    }

    deinit {
      deinitializeElements()
    }
  }

  /// The storage of the empty state.
  @usableFromInline static let empty = StorageTrie(root: Node.make([]), placement: .empty)

  @usableFromInline
  init(root: Node, placement: StoragePlacement) {
    self.root = root
    self.placement = placement
  }

  /// The number of values.
  @inlinable
  var count: Int { placement.locations.count }

  /// The column of the value at `slot`, and its position there.
  @inlinable
  func location(of slot: Int) -> (column: Int, position: Int) {
    let location = placement.locations[slot]
    return (location.column, location.position)
  }

  /// Whether the value at `slot` is a `Value`: one comparison.
  @inlinable
  func holds<Value: Sendable>(_ type: Value.Type, at slot: Int) -> Bool {
    placement.columnTypes[location(of: slot).column] == ObjectIdentifier(Value.self)
  }

  /// The leaf holding `position` in `column`.
  ///
  /// - Complexity: O(log₃₂ *n*).
  @inlinable @inline(__always)
  func leaf(column: Int, position: Int) -> AnyObject {
    leafCell(column: column, position: position, ReadingDescent()).pointee
  }

  /// The value at `slot`, which the caller has checked is a `Value` (`holds(_:at:)`).
  ///
  /// - Complexity: O(log₃₂ *n*).
  // Not optional: in unspecialized code, such as a handler's walk, each use of
  // `Optional<Value>` looked up that type's metadata, a third of a frozen layer's read.
  @inlinable
  func value<Value: Sendable>(at slot: Int, as type: Value.Type) -> Value {
    assert(holds(Value.self, at: slot), "the caller checked the value's type")
    let (column, position) = location(of: slot)
    // Unretained, as the walk is: this state keeps the leaf alive.
    unowned(unsafe) let leaf = unsafeDowncast(leaf(column: column, position: position), to: StorageLeaf<Value>.self)
    return leaf.elements[position & Self.mask]
  }

  /// The value at `slot`, whatever its type.
  func anyValue(at slot: Int) -> (any Sendable)? {
    let (column, position) = location(of: slot)
    return erasedLeaf(leaf(column: column, position: position))?.anyValue(at: position & Self.mask)
  }

  /// The name of the type of the value at `slot`.
  @usableFromInline
  func valueTypeName(at slot: Int) -> String {
    let (column, position) = location(of: slot)
    return erasedLeaf(leaf(column: column, position: position))?.valueTypeName ?? "<unknown>"
  }

  /// Makes the top node unique: the first step of every write, and of an edit.
  ///
  /// - Complexity: O(*c*) in the number of value types if the node is shared, else O(1).
  @inlinable
  mutating func makeTopUnique() {
    if !isKnownUniquelyReferenced(&root) { root = root.copy() }
  }

  /// The cell holding the leaf of `position` in `column`, on a path made unique first; the
  /// leaf itself may still be shared.
  ///
  /// - Complexity: O(log₃₂ *n*); O(32) more per shared level.
  @inlinable
  mutating func uniquePath(column: Int, position: Int) -> UnsafeMutablePointer<AnyObject> {
    makeTopUnique()
    return leafCell(column: column, position: position, UniquingDescent())
  }

  /// The value at `slot`, which the caller has checked is a `Value`, for writing: its path
  /// and leaf are made unique first.
  ///
  /// - Complexity: O(log₃₂ *n*); O(32) more per shared level.
  @inlinable @inline(__always)
  mutating func uniqueValue<Value: Sendable>(at slot: Int, as type: Value.Type) -> UnsafeMutablePointer<Value> {
    assert(holds(Value.self, at: slot), "the caller checked the value's type")
    let (column, position) = location(of: slot)
    let cell = uniquePath(column: column, position: position)
    if !Self.isUnique(cell, as: StorageLeaf<Value>.self) {
      cell.pointee = unsafeDowncast(cell.pointee, to: StorageLeaf<Value>.self).copy()
    }
    return unsafeDowncast(cell.pointee, to: StorageLeaf<Value>.self).elements + (position & Self.mask)
  }

  /// Writes `value` at `slot` if the slot holds a `Value`: in place when nothing on its path
  /// is shared. Returns `false`, writing nothing, if it holds another type.
  ///
  /// - Complexity: O(log₃₂ *n*) when nothing is shared; O(32) more per shared level.
  @inlinable
  mutating func setValue<Value: Sendable>(_ value: consuming Value, at slot: Int) -> Bool {
    guard holds(Value.self, at: slot) else { return false }
    uniqueValue(at: slot, as: Value.self).pointee = value
    return true
  }

  /// Calls `body` with the value at `slot` to change it in place, copying only what is
  /// shared first. Returns `nil`, calling nothing, if the slot does not hold a `Value`.
  ///
  /// - Complexity: O(log₃₂ *n*) plus `body`; O(32) more per shared level.
  @inlinable @inline(__always)
  mutating func modifyValue<Value: Sendable, Result>(
    _ type: Value.Type, at slot: Int, _ body: (inout Value) throws -> Result
  ) rethrows -> Result? {
    guard holds(Value.self, at: slot) else { return nil }
    return try body(&uniqueValue(at: slot, as: Value.self).pointee)
  }

  /// Writes `value`, of any type, at `slot` if it has the type stored there. Returns `false`,
  /// writing nothing, if it has another.
  ///
  /// - Complexity: O(log₃₂ *n*); O(32) more per shared level.
  mutating func setAnyValue(_ value: any Sendable, at slot: Int) -> Bool {
    let (column, position) = location(of: slot)
    guard erasedLeaf(leaf(column: column, position: position))?.canHold(value) == true else { return false }
    let cell = uniquePath(column: column, position: position)
    if !isKnownUniquelyReferenced(&cell.pointee), let copy = erasedLeaf(cell.pointee)?.copyLeaf() {
      cell.pointee = copy
    }
    return erasedLeaf(cell.pointee)?.setAnyValue(value, at: position & Self.mask) ?? false
  }

  /// Whether the object in `cell`, which is a `Object`, is referenced only there.
  ///
  /// Children are stored as `AnyObject`, for which the standard library's uniqueness check is
  /// an unspecialized call; seen as their class, the check is a native reference-count test.
  @inlinable @inline(__always)
  static func isUnique<Object: AnyObject>(_ cell: UnsafeMutablePointer<AnyObject>, as type: Object.Type) -> Bool {
    UnsafeMutableRawPointer(cell).withMemoryRebound(to: Object.self, capacity: 1) {
      isKnownUniquelyReferenced(&$0.pointee)
    }
  }

  /// Every node and leaf of the storage, for tests that check how much two states share.
  func allObjects() -> [AnyObject] {
    var result: [AnyObject] = []
    var pending: [AnyObject] = [root]
    while let object = pending.popLast() {
      result.append(object)
      if let node = object as? Node {
        pending.append(contentsOf: UnsafeBufferPointer(start: node.elements, count: node.count))
      }
    }
    return result
  }
}
