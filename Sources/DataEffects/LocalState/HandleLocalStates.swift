import ExplicitState

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
