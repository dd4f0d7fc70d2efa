/// The values of a state: a fixed-shape, 32-way trie of boxes, copied on write.
///
/// A state's set of keys never changes after export, so the trie never grows or shrinks: a
/// slot's position is fixed, and reading it walks ⌈log₃₂ n⌉ levels. Writing through a trie
/// that no other state shares changes it in place, which is what the natural call pattern
/// `state = layer(x, state)` gets when its `state` parameter is `consuming`. Writing through
/// a shared trie copies only the nodes on the path to the slot, never the whole state, so
/// keeping an old state alive costs O(log n) per update instead of O(n).
@usableFromInline
struct StateValues: @unchecked Sendable {
  @usableFromInline static let shiftPerLevel = 5
  @usableFromInline static let branching = 1 << shiftPerLevel
  @usableFromInline static let mask = branching - 1

  @usableFromInline var root: Node
  @usableFromInline let count: Int
  /// `shiftPerLevel` times the number of branch levels above the leaves.
  @usableFromInline let shift: Int

  /// A trie node: up to 32 children, which are nodes in a branch and boxes in a leaf.
  ///
  /// The children are tail-allocated and reached through pointers, so walking the trie pays
  /// no dynamic exclusivity checks. The header is the number of children.
  @usableFromInline
  final class Node: ManagedBuffer<Int, AnyObject> {
    /// A node holding `children`.
    @inlinable
    static func make<C: Collection<AnyObject>>(_ children: C) -> Node {
      let node = unsafeDowncast(Node.create(minimumCapacity: children.count) { _ in children.count }, to: Node.self)
      node.withUnsafeMutablePointerToElements { elements in
        for (offset, child) in children.enumerated() {
          (elements + offset).initialize(to: child)
        }
      }
      return node
    }

    /// The children, for reading and in-place writes.
    @inlinable
    var elements: UnsafeMutablePointer<AnyObject> {
      withUnsafeMutablePointerToElements { $0 }
    }

    /// The number of children.
    @inlinable
    var childCount: Int { withUnsafeMutablePointerToHeader { $0.pointee } }

    /// A node with the same children, each retained once more.
    @usableFromInline
    func copy() -> Node {
      Node.make(UnsafeBufferPointer(start: elements, count: childCount))
    }

    deinit {
      _ = withUnsafeMutablePointers { count, elements in
        elements.deinitialize(count: count.pointee)
      }
    }
  }

  /// Builds the trie over `boxes`, in slot order.
  ///
  /// - Complexity: O(*n*).
  @usableFromInline
  init(_ boxes: [AnyObject]) {
    count = boxes.count
    var level: [AnyObject] = []
    level.reserveCapacity(boxes.count / Self.branching + 1)
    var start = 0
    repeat {
      let end = min(start + Self.branching, boxes.count)
      level.append(Node.make(boxes[start..<end]))
      start = end
    } while start < boxes.count
    var shift = 0
    while level.count > 1 {
      var parents: [AnyObject] = []
      parents.reserveCapacity(level.count / Self.branching + 1)
      var index = 0
      while index < level.count {
        let end = min(index + Self.branching, level.count)
        parents.append(Node.make(level[index..<end]))
        index = end
      }
      level = parents
      shift += Self.shiftPerLevel
    }
    root = unsafeDowncast(level[0], to: Node.self)
    self.shift = shift
  }

  /// The box at `slot`, which must be in `0..<count`.
  ///
  /// - Complexity: O(log₃₂ *n*).
  @inlinable
  func box(at slot: Int) -> AnyObject {
    // The state being read keeps every node alive, so the walk needs no retains.
    unowned(unsafe) var node = root
    var shift = self.shift
    while shift > 0 {
      node = unsafeDowncast(node.elements[(slot &>> shift) & Self.mask], to: Node.self)
      shift -= Self.shiftPerLevel
    }
    return node.elements[slot & Self.mask]
  }

  /// The leaf holding `slot`, made unique first: nodes another state shares are copied.
  ///
  /// - Complexity: O(log₃₂ *n*); O(32) more per shared level.
  @inlinable
  mutating func uniqueLeaf(for slot: Int) -> Node {
    if !isKnownUniquelyReferenced(&root) { root = root.copy() }
    // `self` keeps every node on the path alive, so the walk needs no retains.
    unowned(unsafe) var node = root
    var shift = self.shift
    while shift > 0 {
      let child = node.elements + ((slot &>> shift) & Self.mask)
      if !Self.isUnique(child, as: Node.self) {
        child.pointee = unsafeDowncast(child.pointee, to: Node.self).copy()
      }
      node = unsafeDowncast(child.pointee, to: Node.self)
      shift -= Self.shiftPerLevel
    }
    return node
  }

  /// Puts `box` at `slot`.
  ///
  /// - Complexity: O(log₃₂ *n*) when nothing is shared; O(32) more per shared level.
  @inlinable
  mutating func setBox(_ box: AnyObject, at slot: Int) {
    uniqueLeaf(for: slot).elements[slot & Self.mask] = box
  }

  /// Writes `value` at `slot` if its box holds a `Value`: in place when the box is not
  /// shared. Returns `false`, writing nothing, if the box holds another type.
  ///
  /// One walk both checks and writes; a failed check may leave a copied path, which holds
  /// equal values, so nobody can tell.
  ///
  /// - Complexity: O(log₃₂ *n*) when nothing is shared; O(32) more per shared level.
  @inlinable
  mutating func setValue<Value: Sendable>(_ value: consuming Value, at slot: Int) -> Bool {
    let cell = uniqueLeaf(for: slot).elements + (slot & Self.mask)
    guard isStateBox(cell.pointee, of: Value.self) else { return false }
    if Self.isUnique(cell, as: StateBox<Value>.self) {
      unsafeDowncast(cell.pointee, to: StateBox<Value>.self).value = value
    } else {
      cell.pointee = StateBox.make(value)
    }
    return true
  }

  /// Calls `body` with the value at `slot` to change it: in place when neither the path nor
  /// the box is shared, else on a copy in a new box. Returns `nil`, calling nothing, if the
  /// box does not hold a `Value`.
  ///
  /// - Complexity: O(log₃₂ *n*) plus `body`; O(32) more per shared level.
  @inlinable @inline(__always)
  mutating func modifyValue<Value: Sendable, Result>(
    _ type: Value.Type, at slot: Int, _ body: (inout Value) throws -> Result
  ) rethrows -> Result? {
    // A failed type check may leave a copied path: equal values, so nobody can tell.
    let cell = uniqueLeaf(for: slot).elements + (slot & Self.mask)
    if isStateBox(cell.pointee, of: Value.self), Self.isUnique(cell, as: StateBox<Value>.self) {
      return try unsafeDowncast(cell.pointee, to: StateBox<Value>.self).withUnsafeMutablePointerToHeader {
        try body(&$0.pointee)
      }
    }
    guard let shared = stateBox(cell.pointee, as: Value.self) else { return nil }
    var value = shared.value
    let result = try body(&value)
    cell.pointee = StateBox.make(value)
    return result
  }

  /// The cell of the box at `slot`, on a path made unique first.
  ///
  /// The cell stays valid while the trie is not otherwise changed; making the path to another
  /// slot unique copies only shared nodes, and this path's nodes no longer are.
  ///
  /// - Complexity: O(log₃₂ *n*); O(32) more per shared level.
  @inlinable @inline(__always)
  mutating func uniqueCell(for slot: Int) -> UnsafeMutablePointer<AnyObject> {
    uniqueLeaf(for: slot).elements + (slot & Self.mask)
  }

  /// The box in `cell`, which the caller has checked is a `StateBox<Value>`, replaced by a copy
  /// first if it is shared.
  @inlinable @inline(__always)
  static func uniqueBox<Value: Sendable>(in cell: UnsafeMutablePointer<AnyObject>, of type: Value.Type) -> StateBox<Value> {
    if !isUnique(cell, as: StateBox<Value>.self) {
      cell.pointee = StateBox.make(unsafeDowncast(cell.pointee, to: StateBox<Value>.self).value)
    }
    return unsafeDowncast(cell.pointee, to: StateBox<Value>.self)
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

  /// Every node of the trie, for tests that check how much two states share.
  func allNodes() -> [Node] {
    var result: [Node] = []
    var pending = [root]
    while let node = pending.popLast() {
      result.append(node)
      let children = UnsafeBufferPointer(start: node.elements, count: node.childCount)
      pending.append(contentsOf: children.compactMap { $0 as? Node })
    }
    return result
  }
}
