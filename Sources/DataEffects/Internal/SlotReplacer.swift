import ExplicitState

/// A walk of a model tree that cares for nodes, not paths or entries: its `enter`, `exit`
/// and entry visits do nothing.
@usableFromInline
protocol SlotVisitor: StateVisitor {}

extension SlotVisitor {
  @inlinable mutating func enter(_ component: PathComponent) {}
  @inlinable mutating func exit() {}
  @inlinable mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {}
}

/// A walk that offers every effect slot, with its path, to `replace`, and puts back the slot
/// it returns: how the handlers other than local state take their requests.
struct SlotReplacer: StateVisitor {
  let replace: (any EffectSlot, PathTracker) -> (any EffectSlot)?
  var path = PathTracker()
  private var kinds = NodeKinds()

  init(_ replace: @escaping (any EffectSlot, PathTracker) -> (any EffectSlot)?) {
    self.replace = replace
  }

  mutating func enter(_ component: PathComponent) { path.enter(component) }
  mutating func exit() { path.exit() }
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {}

  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    if case .slot = kinds.kind(of: Node.self) {
      if let slot = node as? any EffectSlot, let replacement = replace(slot, path) as? Node { node = replacement }
      return
    }
    path.enterNode(Node.self)
    node.visitChildren(&self)
    path.exitNode()
  }

  /// `tree` with its slots replaced.
  static func run<Tree: StateVisitable>(
    _ tree: Tree, _ replace: @escaping (any EffectSlot, PathTracker) -> (any EffectSlot)?
  ) -> Tree {
    var walker = SlotReplacer(replace)
    var result = tree
    walker.visitNode(&result)
    return result
  }
}
