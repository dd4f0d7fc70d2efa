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
}
