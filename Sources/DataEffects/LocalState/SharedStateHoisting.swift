import ExplicitState

/// The defining request of a shared local state, of any value type, as
/// `hoistSharedStateRequests(_:unsafe:)` returns it.
public struct LocalStateDefinition: Sendable, CustomStringConvertible {
  let slot: any LocalStateSlot

  /// The state's name.
  public var name: String { slot.explicitName ?? "" }
  /// The state's category.
  public var category: String { slot.category }
  /// The request, as it would print in the model.
  public var description: String { String(describing: slot) }
}

/// Replaces every use of each named state used more than once by a
/// `SharedLocalStateRequest`, and returns the defining requests by name: Penzai's
/// `hoist_shared_state_requests`.
///
/// The first initial or frozen request of a name defines it. Further initial requests are
/// accepted if they are copies of the first; any other second definition is refused unless
/// `unsafe` is true, when the first one wins.
///
/// - Throws: `EffectError.conflictingHoistedStates` naming the state.
/// - Complexity: O(*n*) in the size of the tree.
public func hoistSharedStateRequests<Tree: StateVisitable>(
  _ tree: Tree, unsafe: Bool = false
) throws -> (Tree, [String: LocalStateDefinition]) {
  var counter = NamedStateCounter()
  var copy = tree
  counter.visitNode(&copy)
  let hoisted = Set(counter.counts.filter { $0.value > 1 }.keys)
  var hoister = SharedStateHoister(hoisted: hoisted, unsafe: unsafe)
  var result = tree
  hoister.visitNode(&result)
  if let error = hoister.error { throw error }
  return (result, hoister.definitions.mapValues { LocalStateDefinition(slot: $0) })
}

/// Puts the definitions back where each name is first shared: the inverse of
/// `hoistSharedStateRequests(_:unsafe:)`, Penzai's `embed_shared_state_requests`.
///
/// - Throws: `EffectError.mismatchedCategories` when a definition's category differs from
///   the shared request's, and `EffectError.stateTypeConflict` when its value type does.
/// - Complexity: O(*n*) in the size of the tree.
public func embedSharedStateRequests<Tree: StateVisitable>(
  _ tree: Tree, _ definitions: [String: LocalStateDefinition]
) throws -> Tree {
  var embedder = SharedStateEmbedder(definitions: definitions)
  var result = tree
  embedder.visitNode(&result)
  if let error = embedder.error { throw error }
  return result
}

/// Counts the uses of each explicit name among local-state requests.
struct NamedStateCounter: SlotVisitor {
  static var isReadOnly: Bool { true }

  var counts: [String: Int] = [:]

  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    if let slot = node as? any LocalStateSlot {
      if slot.unhandledRequestType != nil, let name = slot.explicitName { counts[name, default: 0] += 1 }
      return
    }
    if node is any EffectSlot { return }
    node.visitChildren(&self)
  }
}

/// Replaces the hoisted names' requests by shared requests, keeping the first definition.
struct SharedStateHoister: SlotVisitor {
  let hoisted: Set<String>
  let unsafe: Bool
  var definitions: [String: any LocalStateSlot] = [:]
  var error: EffectError?

  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    if let slot = node as? any LocalStateSlot {
      guard error == nil, slot.unhandledRequestType != nil, let name = slot.explicitName, hoisted.contains(name)
      else { return }
      if !slot.isSharedRequest {
        if let first = definitions[name] {
          let sameInitializer = slot.initializerIdentity != nil && slot.initializerIdentity == first.initializerIdentity
          if !sameInitializer && !unsafe { error = .conflictingHoistedStates(name) }
        } else {
          definitions[name] = slot
        }
      }
      if let shared = slot.sharedRequest() as? Node { node = shared }
      return
    }
    if node is any EffectSlot { return }
    node.visitChildren(&self)
  }
}

/// Puts each definition back at the first shared request of its name.
struct SharedStateEmbedder: SlotVisitor {
  let definitions: [String: LocalStateDefinition]
  var embedded: Set<String> = []
  var error: EffectError?

  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    if let slot = node as? any LocalStateSlot {
      guard error == nil, slot.isSharedRequest, let name = slot.explicitName, let definition = definitions[name],
        !embedded.contains(name)
      else { return }
      guard definition.category == slot.category else {
        error = .mismatchedCategories(got: definition.category, expected: slot.category)
        return
      }
      guard let restored = definition.slot as? Node else {
        error = .stateTypeConflict(name: name, first: definition.slot.valueTypeName, second: slot.valueTypeName)
        return
      }
      node = restored
      embedded.insert(name)
      return
    }
    if node is any EffectSlot { return }
    node.visitChildren(&self)
  }
}
