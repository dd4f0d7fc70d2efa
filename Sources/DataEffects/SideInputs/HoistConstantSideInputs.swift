import ExplicitState

/// Pulls the values out of every `WithConstantSideInputs` in `tree`, nested ones included, and
/// turns their references back into requests: Penzai's `hoist_constant_side_inputs`.
///
/// With `scoped` (the default), each hoisted tag becomes `.hoisted(source:tag:)`, where
/// `source` is the handler's path in Penzai's spelling (`""` for the root), so tags from
/// different handlers cannot clash. A handler left without values stays in place, passing
/// its input through (Penzai removes it; a Swift tree cannot change its type).
///
/// - Parameters:
///   - tree: The model to take the constant side inputs out of.
///   - hoistPredicate: Which tags and values to hoist; by default all.
///   - scoped: Whether each hoisted tag is prefixed with its handler's path.
/// - Returns: The tree, and the hoisted values by their new tags.
/// - Throws: `EffectError.invalidSelection` for two values hoisted to one tag, or for an
///   unscoped tag an unhandled request already uses.
/// - Complexity: O(*n*) in the size of the tree.
public func hoistConstantSideInputs<Tree: StateVisitable>(
  _ tree: Tree, hoistPredicate: (SideInputTag, any Sendable) -> Bool = { _, _ in true }, scoped: Bool = true
) throws -> (Tree, [SideInputTag: any Sendable]) {
  var requested: Set<SideInputTag> = []
  _ = SlotReplacer.run(tree) { slot, _ in
    if let input = slot as? any SideInputSlot, slot.unhandledRequestType != nil { requested.insert(input.tag) }
    return nil
  }
  return try withoutActuallyEscaping(hoistPredicate) { predicate in
    var hoister = ConstantSideInputHoister(predicate: predicate, scoped: scoped, requested: requested)
    var result = tree
    hoister.visitNode(&result)
    if let error = hoister.error { throw error }
    return (result, hoister.hoisted)
  }
}

/// A handler of constant side inputs, as the hoisting walk needs it.
protocol ConstantSideInputsHandling: EffectHandler {
  var sideInputs: [SideInputTag: any Sendable] { get }
  /// The handler without `renamed`'s tags, its references to them turned into requests for
  /// the new tags.
  func hoisting(_ renamed: [SideInputTag: SideInputTag]) -> Self
}

extension WithConstantSideInputs: ConstantSideInputsHandling {
  func hoisting(_ renamed: [SideInputTag: SideInputTag]) -> WithConstantSideInputs {
    var copy = self
    copy.sideInputs = sideInputs.filter { renamed[$0.key] == nil }
    copy.body = SlotReplacer.run(body) { [handlerID] slot, _ in
      guard let input = slot as? any SideInputSlot, slot.handlerID == handlerID, let tag = renamed[input.tag] else {
        return nil
      }
      return input.requested(as: tag)
    }
    return copy
  }
}

/// The walk of `hoistConstantSideInputs`.
struct ConstantSideInputHoister: StateVisitor {
  let predicate: (SideInputTag, any Sendable) -> Bool
  let scoped: Bool
  let requested: Set<SideInputTag>
  var path = PathTracker()
  var hoisted: [SideInputTag: any Sendable] = [:]
  var error: EffectError?

  mutating func enter(_ component: PathComponent) { path.enter(component) }
  mutating func exit() { path.exit() }
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {}

  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    if node is any EffectSlot { return }
    if let handler = node as? any ConstantSideInputsHandling, error == nil {
      var renamed: [SideInputTag: SideInputTag] = [:]
      for (tag, value) in handler.sideInputs.sorted(by: { $0.key < $1.key }) where predicate(tag, value) {
        let newTag = scoped ? SideInputTag.hoisted(source: path.penzaiName, tag: tag) : tag
        if hoisted[newTag] != nil {
          error = .invalidSelection("Tag conflict while hoisting tag \(newTag)! Try using `scoped` to ensure the tags are unique.")
          return
        }
        if !scoped, requested.contains(newTag) {
          error = .invalidSelection(
            "Cannot hoist a tag that is already used by an unhandled SideInputRequest! Found an unhandled request with tag \(newTag)")
          return
        }
        hoisted[newTag] = value
        renamed[tag] = newTag
      }
      if let updated = handler.hoisting(renamed) as? Node { node = updated }
    }
    path.enterNode(Node.self)
    node.visitChildren(&self)
    path.exitNode()
  }
}
