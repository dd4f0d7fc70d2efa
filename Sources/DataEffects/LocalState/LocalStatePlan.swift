import ExplicitState

/// The result of walking a body for its local-state requests: names, values and references.
struct LocalStatePlan<Body: Layer>: Sendable {
  let handler: WithFunctionalLocalState<Body>
  /// The request whose value each state starts with, in key order.
  let definitions: [any LocalStateSlot]

  init(
    _ body: Body, category: String?, categoryPredicate: (@Sendable (String) -> Bool)?,
    stateSharing: StateSharing, handlerID explicitID: HandlerID?
  ) throws {
    let matches: @Sendable (String) -> Bool
    switch (category, categoryPredicate) {
    case (nil, nil): throw EffectError.categoryNotSpecified
    case (.some, .some): throw EffectError.categoryOverspecified
    case (let category?, nil): matches = { $0 == category }
    case (nil, let predicate?): matches = predicate
    }
    // One walk digests the body for the handler ID and collects its requests.
    var collector = LocalStateCollector(matches: matches, sharing: stateSharing)
    var walked = body
    collector.visitNode(&walked)
    let handlerID = try collector.digest.handlerID(tag: WithFunctionalLocalState<Body>.handlerTag, explicitID: explicitID)
    if let error = collector.error { throw error }

    let keySet = try StateKeySet(collector.names.map { StateKey(name: $0) })
    let keys = keySet.keys
    let token = HandlerToken()
    let references = collector.assignments.map { assignment in
      HandledLocalStateRef(
        handlerID: handlerID, token: token, label: assignment.label, name: collector.names[assignment.index],
        key: keys[assignment.index])
    }
    var installer = LocalStateInstaller(taken: collector.takenSlots, references: references)
    var installed = body
    installer.visitNode(&installed)

    handler = WithFunctionalLocalState(handlerID: handlerID, token: token, body: installed, stateKeys: keySet)
    definitions = collector.definitions
  }

  /// The initial state: each name's defining request's value, its initializer run now.
  func initialState() throws -> State {
    var builder = StateBuilder()
    for (definition, key) in zip(definitions, handler.stateKeys.keys) {
      definition.appendInitialValue(to: &builder, key: key)
    }
    return try builder.build(reusing: handler.stateKeys)
  }
}

/// The first walk of `handleLocalStates`: digests the body for the handler's ID, and names
/// each matching request and applies the sharing rule, in walk order.
struct LocalStateCollector: StateVisitor {
  static var isReadOnly: Bool { true }

  let matches: @Sendable (String) -> Bool
  let sharing: StateSharing
  var path = PathTracker()
  /// The digest of the body, from which the handler's ID comes.
  private(set) var digest = StructureDigest()
  /// For each matching request in walk order: the position of its name in `names`.
  var assignments: [(index: Int, label: LocalStateLabel)] = []
  /// The states' names, in order of first definition: the state's key order.
  var names: [String] = []
  /// The request whose value each name starts with, by position in `names`.
  var definitions: [any LocalStateSlot] = []
  private var nameIndex = NameIndex()
  /// For each local-state slot in walk order, whether its request was taken: the installing
  /// walk, which meets the slots in the same order, replaces these without asking again.
  var takenSlots: [Bool] = []
  var error: EffectError?
  private var kinds = NodeKinds()

  init(matches: @escaping @Sendable (String) -> Bool, sharing: StateSharing) {
    self.matches = matches
    self.sharing = sharing
  }

  mutating func enter(_ component: PathComponent) {
    digest.enter(component)
    path.enter(component)
  }

  mutating func exit() {
    digest.exit()
    path.exit()
  }

  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {
    digest.entry(Value.self, typeNames: &path.typeNames)
  }

  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    let kind = kinds.kind(of: Node.self)
    if case .slot(_, let localState?) = kind {
      digest.nodeHeader(Node.self, typeNames: &path.typeNames)
      consider(&node, as: localState)
      return
    }
    digest.node(&node, kind: kind, typeNames: &path.typeNames)
    switch kind {
    case .slot:
      return
    case .handler, .other:
      path.enterNode(Node.self)
      node.visitChildren(&self)
      path.exitNode()
    }
  }

  /// Digests a local-state slot and applies the naming and sharing rules to its request,
  /// reading the request's facts once for both.
  private mutating func consider<Node, Slot: LocalStateSlot>(_ node: inout Node, as type: Slot.Type) {
    let taken = assignments.count
    _ = withNode(&node, as: Slot.self) { slot in
      let request = slot.requestFacts
      digest.localState(slot, request: request, typeNames: &path.typeNames)
      if let request { consider(slot, request: request) }
    }
    takenSlots.append(assignments.count > taken)
  }

  private mutating func consider<Slot: LocalStateSlot>(_ slot: Slot, request: LocalStateRequestFacts) {
    guard error == nil, matches(request.category) else { return }
    let explicit = request.explicitName
    let name = explicit ?? path.penzaiName
    let hash = NameIndex.hash(of: name)
    let index: Int
    if request.isShared {
      guard sharing != .forbidden else { return fail(.sharedStateForbidden(name)) }
      guard let defined = nameIndex.position(of: name, hash: hash, in: names) else {
        return fail(.sharedStateBeforeValue(name))
      }
      let definition = definitions[defined]
      guard definition.valueTypeName == slot.valueTypeName else {
        return fail(.stateTypeConflict(name: name, first: definition.valueTypeName, second: slot.valueTypeName))
      }
      index = defined
    } else if let defined = nameIndex.position(of: name, hash: hash, in: names) {
      let existing = definitions[defined]
      switch sharing {
      case .forbidden:
        return fail(.duplicateStateName(name))
      case .allowed:
        guard let identity = slot.initializerIdentity, identity == existing.initializerIdentity else {
          return fail(.conflictingStateInitializers(name))
        }
      case .unsafe:
        guard existing.valueTypeName == slot.valueTypeName else {
          return fail(.stateTypeConflict(name: name, first: existing.valueTypeName, second: slot.valueTypeName))
        }
        definitions[defined] = slot
      }
      index = defined
    } else {
      index = names.count
      names.append(name)
      nameIndex.append(hash: hash)
      definitions.append(slot)
    }
    assignments.append((index, request.label))
  }

  private mutating func fail(_ error: EffectError) {
    self.error = error
  }
}
