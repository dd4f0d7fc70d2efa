/// A node of the tree of paths that one export produces.
///
/// A key stores only the node of its last component; the parents are shared, so the keys of
/// a large model cost one small object per entry, not one array of components each. The hash
/// is computed once, when the node is made, so hashing a key never walks its path.
@usableFromInline
final class StatePathNode: Sendable {
  @usableFromInline let parent: StatePathNode?
  @usableFromInline let component: PathComponent?
  @usableFromInline let depth: Int
  @usableFromInline let hash: Int

  /// The root of every path: the empty path, where an entry at the root of a tree lives.
  @usableFromInline static let root = StatePathNode()

  private init() {
    parent = nil
    component = nil
    depth = 0
    hash = PathHash.root
  }

  @usableFromInline
  init(parent: StatePathNode, component: PathComponent) {
    self.parent = parent
    self.component = component
    depth = parent.depth + 1
    hash = PathHash.extending(parent.hash, with: component)
  }

  /// The components from the root down to this node.
  var components: [PathComponent] {
    var result: [PathComponent] = []
    result.reserveCapacity(depth)
    var node: StatePathNode? = self
    while let current = node, let component = current.component {
      result.append(component)
      node = current.parent
    }
    result.reverse()
    return result
  }

  /// Whether two nodes spell the same path, whichever export made them.
  @usableFromInline
  func hasSamePath(as other: StatePathNode) -> Bool {
    var lhs: StatePathNode? = self
    var rhs: StatePathNode? = other
    guard depth == other.depth, hash == other.hash else { return false }
    while let l = lhs, let r = rhs {
      if l === r { return true }
      if l.component != r.component { return false }
      lhs = l.parent
      rhs = r.parent
    }
    return lhs == nil && rhs == nil
  }
}
