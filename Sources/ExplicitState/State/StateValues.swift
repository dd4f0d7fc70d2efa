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

  /// A trie node: a branch holds `children`, a leaf holds `boxes`; the other array is empty.
  @usableFromInline
  final class Node: @unchecked Sendable {
    @usableFromInline var children: ContiguousArray<Node>
    @usableFromInline var boxes: ContiguousArray<AnyStateBox>

    @inlinable
    init(children: ContiguousArray<Node>, boxes: ContiguousArray<AnyStateBox>) {
      self.children = children
      self.boxes = boxes
    }

    @usableFromInline
    func copy() -> Node { Node(children: children, boxes: boxes) }
  }

  /// Builds the trie over `boxes`, in slot order.
  ///
  /// - Complexity: O(*n*).
  @usableFromInline
  init(_ boxes: [AnyStateBox]) {
    count = boxes.count
    var level: ContiguousArray<Node> = []
    level.reserveCapacity(boxes.count / Self.branching + 1)
    var start = 0
    repeat {
      let end = min(start + Self.branching, boxes.count)
      level.append(Node(children: [], boxes: ContiguousArray(boxes[start..<end])))
      start = end
    } while start < boxes.count
    var shift = 0
    while level.count > 1 {
      var parents: ContiguousArray<Node> = []
      parents.reserveCapacity(level.count / Self.branching + 1)
      var index = 0
      while index < level.count {
        let end = min(index + Self.branching, level.count)
        parents.append(Node(children: ContiguousArray(level[index..<end]), boxes: []))
        index = end
      }
      level = parents
      shift += Self.shiftPerLevel
    }
    root = level[0]
    self.shift = shift
  }

  /// The box at `slot`, which must be in `0..<count`.
  ///
  /// - Complexity: O(log₃₂ *n*).
  @inlinable
  func box(at slot: Int) -> AnyStateBox {
    var node = root
    var shift = self.shift
    while shift > 0 {
      node = node.children[(slot &>> shift) & Self.mask]
      shift -= Self.shiftPerLevel
    }
    return node.boxes[slot & Self.mask]
  }

  /// Puts `box` at `slot`, copying the nodes on the way that another state shares.
  ///
  /// - Complexity: O(1) per level when nothing is shared; O(32) per shared level.
  @inlinable
  mutating func setBox(_ box: AnyStateBox, at slot: Int) {
    if !isKnownUniquelyReferenced(&root) { root = root.copy() }
    Self.setBox(box, at: slot, in: root, shift: shift)
  }

  /// Writes `value` at `slot`, whose box holds a `Value`: in place when the box is not shared.
  ///
  /// - Complexity: O(1) per level when nothing is shared; O(32) per shared level.
  @inlinable
  mutating func setValue<Value: Sendable>(_ value: Value, at slot: Int) {
    if !isKnownUniquelyReferenced(&root) { root = root.copy() }
    Self.setValue(value, at: slot, in: root, shift: shift)
  }

  @inlinable
  static func setBox(_ box: AnyStateBox, at slot: Int, in node: Node, shift: Int) {
    if shift == 0 {
      node.boxes[slot & mask] = box
      return
    }
    let index = (slot &>> shift) & mask
    if !isKnownUniquelyReferenced(&node.children[index]) {
      node.children[index] = node.children[index].copy()
    }
    setBox(box, at: slot, in: node.children[index], shift: shift - shiftPerLevel)
  }

  @inlinable
  static func setValue<Value: Sendable>(_ value: Value, at slot: Int, in node: Node, shift: Int) {
    if shift == 0 {
      let index = slot & mask
      if isKnownUniquelyReferenced(&node.boxes[index]),
        let box = node.boxes[index].typed(as: Value.self)
      {
        box.value = value
      } else {
        node.boxes[index] = StateBox(value)
      }
      return
    }
    let index = (slot &>> shift) & mask
    if !isKnownUniquelyReferenced(&node.children[index]) {
      node.children[index] = node.children[index].copy()
    }
    setValue(value, at: slot, in: node.children[index], shift: shift - shiftPerLevel)
  }

  /// Every node of the trie, for tests that check how much two states share.
  func allNodes() -> [Node] {
    var result: [Node] = []
    var pending = [root]
    while let node = pending.popLast() {
      result.append(node)
      pending.append(contentsOf: node.children)
    }
    return result
  }
}
