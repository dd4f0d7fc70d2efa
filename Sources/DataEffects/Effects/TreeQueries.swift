import ExplicitState

/// The effects still requested somewhere in `tree`, in walk order, each once: Penzai's
/// `free_effect_types`. References, handled or broken, are not counted.
///
/// - Complexity: O(*n*) in the size of the tree.
public func freeEffectTypes<Tree: StateVisitable>(_ tree: Tree) -> [EffectKind] {
  var query = EffectQuery()
  var copy = tree
  query.visitNode(&copy)
  return query.freeEffects
}

/// The references in `tree` whose handler does not enclose them: Penzai's
/// `broken_handler_refs`. Each is described as its slot's structure.
///
/// - Complexity: O(*n*) in the size of the tree.
public func brokenHandlerRefs<Tree: StateVisitable>(_ tree: Tree) -> [String] {
  var query = EffectQuery()
  var copy = tree
  query.visitNode(&copy)
  return query.brokenReferences
}

/// The IDs of every handler and reference in `tree`, each once, a handler before its body:
/// Penzai's `all_handler_ids`.
///
/// - Complexity: O(*n*) in the size of the tree.
public func allHandlerIDs<Tree: StateVisitable>(_ tree: Tree) -> [HandlerID] {
  var query = EffectQuery()
  var copy = tree
  query.visitNode(&copy)
  return query.handlerIDs
}

/// The walk behind the tree queries.
struct EffectQuery: SlotVisitor {
  static var isReadOnly: Bool { true }

  var freeEffects: [EffectKind] = []
  var brokenReferences: [String] = []
  var handlerIDs: [HandlerID] = []
  private var enclosing: [HandlerID] = []
  private var kinds = NodeKinds()

  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    switch kinds.kind(of: Node.self) {
    case .slot(let slot, _):
      query(&node, as: slot)
    case .handler(let handler):
      guard let id = handlerID(&node, as: handler) else { return }
      if !handlerIDs.contains(id) { handlerIDs.append(id) }
      enclosing.append(id)
      node.visitChildren(&self)
      enclosing.removeLast()
    case .other:
      node.visitChildren(&self)
    }
  }

  private mutating func query<Node, Slot: EffectSlot>(_ node: inout Node, as type: Slot.Type) {
    _ = withNode(&node, as: Slot.self) { slot in
      if slot.unhandledRequestType != nil, !freeEffects.contains(slot.effectKind) {
        freeEffects.append(slot.effectKind)
      }
      if let id = slot.handlerID {
        if !handlerIDs.contains(id) { handlerIDs.append(id) }
        if !enclosing.contains(id) { brokenReferences.append(slot.structureDescription) }
      }
    }
  }

  private func handlerID<Node, Handler: EffectHandler>(_ node: inout Node, as type: Handler.Type) -> HandlerID? {
    withNode(&node, as: Handler.self) { $0.handlerID }
  }
}
