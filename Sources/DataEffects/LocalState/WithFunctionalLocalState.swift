import ExplicitState

/// The local-state handler: runs its body with a `State` of its local states, and returns the
/// new state: Penzai's `WithFunctionalLocalState`.
///
/// Make one with `handleLocalStates(_:category:stateSharing:handlerID:)`, then call it as
/// `(y, state) = try handled(x, state)`, or with Penzai's tuple, `try handled((x, state))`.
/// While the body runs, each `get()` reads the state and each `set(_:)` is an update of it.
/// The keys are the states' names (`StateKey(name:)`).
public struct WithFunctionalLocalState<Body: Layer>: EffectHandler {
  /// `WithFunctionalLocalState`.
  public static var handlerTag: String { "WithFunctionalLocalState" }

  /// The ID shared with the references in the body.
  public let handlerID: HandlerID
  /// The handled model.
  public var body: Body
  /// The keys a state passed to this handler must have.
  package let stateKeys: StateKeySet
  /// The identity this handler shares with the references it made (see `HandlerToken`).
  let token: HandlerToken

  /// Creates the handler over a body whose references already carry `handlerID` and `token`.
  init(handlerID: HandlerID, token: HandlerToken, body: Body, stateKeys: StateKeySet) {
    self.handlerID = handlerID
    self.token = token
    self.body = body
    self.stateKeys = stateKeys
  }

  /// Runs the body on `input.0` with the local states in `input.1`, and returns its output
  /// and the new state: Penzai's call shape.
  ///
  /// Building the tuple copies the caller's state, which the caller's variable still holds
  /// during the call, so each changed value is copied once. Call `self(x, state)` to have
  /// values changed where they are stored.
  ///
  /// - Throws: `EffectError.stateKeyMismatch` naming the missing and unexpected keys when the
  ///   state's keys are not the handler's, and whatever the body throws.
  /// - Complexity: the body's cost; checking the state is O(1) for states this handler made.
  public func callAsFunction(_ input: consuming (Body.Input, State)) throws -> (Body.Output, State) {
    let (x, state) = input
    return try self(x, state)
  }

  /// Runs the body on `x` with the local states in `state`, and returns its output and the
  /// new state: `(y, state) = try handled(x, state)`, the call shape of the state core.
  ///
  /// The state is handed over: when the caller does not use it again, as in that statement,
  /// values are changed where they are stored.
  ///
  /// - Throws: `EffectError.stateKeyMismatch` naming the missing and unexpected keys when the
  ///   state's keys are not the handler's, and whatever the body throws.
  /// - Complexity: the body's cost; checking the state is O(1) for states this handler made.
  public func callAsFunction(_ x: Body.Input, _ state: consuming State) throws -> (Body.Output, State) {
    guard stateKeys.matches(state) else {
      let (missing, extra) = stateKeys.differences(from: state)
      throw EffectError.stateKeyMismatch(handlerID: handlerID, missing: missing, extra: extra)
    }
    let runtime = LocalStateRuntime(handlerID: handlerID, token: token, state: state)
    let y = try EffectContext.running(runtime) { try body(x) }
    return (y, runtime.takeState())
  }

  /// Visits `.body`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("body", &body)
  }
}

/// Takes the local-state requests of `body` whose category is `category`, and returns their
/// handler and initial state: Penzai's `handle_local_states`.
///
/// ```swift
/// let (handled, initialState) = try handleLocalStates(model, category: "example_state")
/// let (y, newState) = try handled((10, initialState))
/// ```
///
/// Each state is named by its explicit name, or else by its path from `body` with type
/// names, as Penzai names them: `Sequential.sublayers[0]/ExampleLayerWithAState.accumulator`.
/// The state lists them in walk order. Requests of other categories stay, for another handler.
///
/// - Parameters:
///   - body: The model whose local-state requests to handle.
///   - category: The category to handle; give this or `categoryPredicate`, not both.
///   - categoryPredicate: Which categories to handle.
///   - stateSharing: Whether requests may share a name; see `StateSharing`.
///   - handlerID: An explicit ID; by default one is inferred from the body's structure.
/// - Throws: `EffectError` for a missing or doubled category argument, a name conflict under
///   the sharing rule, a shared request before its value, or an explicit ID already in use.
/// - Complexity: O(*n*) in the size of the body, plus the initializers.
public func handleLocalStates<Body: Layer>(
  _ body: Body, category: String? = nil, categoryPredicate: (@Sendable (String) -> Bool)? = nil,
  stateSharing: StateSharing = .forbidden, handlerID: HandlerID? = nil
) throws -> (WithFunctionalLocalState<Body>, State) {
  let plan = try LocalStatePlan(
    body, category: category, categoryPredicate: categoryPredicate, stateSharing: stateSharing, handlerID: handlerID)
  return (plan.handler, try plan.initialState())
}

/// Like `handleLocalStates`, but returns a function that builds the initial state when
/// called, running the initializers then: Penzai's `lazy=True`.
///
/// - Throws: as `handleLocalStates`.
/// - Complexity: O(*n*) in the size of the body.
public func handleLocalStatesLazily<Body: Layer>(
  _ body: Body, category: String? = nil, categoryPredicate: (@Sendable (String) -> Bool)? = nil,
  stateSharing: StateSharing = .forbidden, handlerID: HandlerID? = nil
) throws -> (WithFunctionalLocalState<Body>, @Sendable () throws -> State) {
  let plan = try LocalStatePlan(
    body, category: category, categoryPredicate: categoryPredicate, stateSharing: stateSharing, handlerID: handlerID)
  return (plan.handler, { try plan.initialState() })
}

/// Puts a handler's states back into its body as frozen requests, and removes the handler:
/// Penzai's `freeze_local_states`.
///
/// A state with an explicit name becomes a `FrozenLocalStateRequest` with that name where it
/// is first used and a `SharedLocalStateRequest` after; an inferred name becomes an unnamed
/// frozen request, which handling again names the same way. Handling the result with the
/// same handler ID gives the same handler and state.
///
/// - Throws: `EffectError.stateKeyMismatch` when `states` does not have the handler's keys.
/// - Complexity: O(*n*) in the size of the body.
public func freezeLocalStates<Body: Layer>(_ handled: WithFunctionalLocalState<Body>, _ states: State) throws -> Body {
  guard handled.stateKeys.matches(states) else {
    let (missing, extra) = handled.stateKeys.differences(from: states)
    throw EffectError.stateKeyMismatch(handlerID: handled.handlerID, missing: missing, extra: extra)
  }
  var freezer = LocalStateFreezer(handlerID: handled.handlerID, state: states)
  var body = handled.body
  freezer.visitNode(&body)
  if let error = freezer.error { throw error }
  return body
}

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

/// The second walk of `handleLocalStates`: replaces the requests the first walk took, in the
/// same order, with their references.
///
/// As with `LocalStateFreezer`, the walk only descends: each `LocalStateEffect` installs its
/// reference when handed to it, in `accept(_:)` (specialized for its value type) or in
/// `visitChildren(_:)`. It meets the local-state slots in the order the first walk did, which
/// looked each node's kind up: the same nodes, in the same order.
@usableFromInline
struct LocalStateInstaller: SlotVisitor {
  /// For each local-state slot in walk order, whether to replace it.
  @usableFromInline let taken: [Bool]
  @usableFromInline let references: [HandledLocalStateRef]
  @usableFromInline var slot = 0
  @usableFromInline var reference = 0

  init(taken: [Bool], references: [HandledLocalStateRef]) {
    self.taken = taken
    self.references = references
  }

  /// Replaces `effect`'s request by its reference, if the first walk took it.
  @inlinable
  mutating func install<Value: Sendable>(_ effect: inout LocalStateEffect<Value>) {
    defer { slot += 1 }
    guard slot < taken.count, taken[slot], reference < references.count else { return }
    effect = .handled(references[reference])
    reference += 1
  }
}

/// The walk of `freezeLocalStates`: replaces one handler's references with frozen requests.
///
/// The walk itself only descends: each `LocalStateEffect` freezes itself when handed to it,
/// in `accept(_:)` when met by `visit(_:_:)` or a container, with code specialized for its
/// value type where its layer is compiled, or in `visitChildren(_:)` when a parent hands it
/// to `visitNode(_:)` directly. Both run `freezeReference(of:from:seenNames:)`. No node's kind
/// is looked up: a node that is not a local-state slot is descended into, as before.
@usableFromInline
struct LocalStateFreezer: SlotVisitor {
  @usableFromInline let handlerID: HandlerID
  @usableFromInline let state: State
  @usableFromInline var seenNames: Set<String> = []
  @usableFromInline var error: Error?

  init(handlerID: HandlerID, state: State) {
    self.handlerID = handlerID
    self.state = state
  }

  /// Freezes `effect`, unless an earlier slot failed.
  @inlinable
  mutating func freeze<Value: Sendable>(_ effect: inout LocalStateEffect<Value>) {
    guard error == nil else { return }
    do {
      try effect.freezeReference(of: handlerID, from: state, seenNames: &seenNames)
    } catch {
      self.error = error
    }
  }
}
