import ExplicitState
import RandomKeys

/// Takes a random key from its argument: called with `(x, key)`, it gives its body the
/// stream `key.foldIn(0)`, `key.foldIn(1)`, ... Penzai's `WithRandomKeyFromArg`.
public struct WithRandomKeyFromArg<Body: Layer>: EffectHandler {
  /// `WithRandomKeyFromArg`.
  public static var handlerTag: String { "WithRandomKeyFromArg" }

  /// The ID shared with the references in the body.
  public let handlerID: HandlerID
  /// The handled model.
  public var body: Body

  /// Takes the random requests of `body` that `holePredicate` accepts: untagged ones by
  /// default.
  ///
  /// - Throws: `EffectError.handlerIDExists` for an explicit ID already used in `body`.
  /// - Complexity: O(*n*) in the size of the body.
  public static func handling(
    _ body: Body, holePredicate: @escaping (RandomEffect) -> Bool = RandomEffect.isUntaggedRequest,
    handlerID: HandlerID? = nil
  ) throws -> WithRandomKeyFromArg {
    let id = try inferOrCheckHandlerID(tag: handlerTag, subtree: body, explicitID: handlerID)
    return WithRandomKeyFromArg(handlerID: id, body: handlingRandom(body, by: id, holePredicate: holePredicate))
  }

  /// Runs the body on `input.0` with a stream over `input.1`.
  public func callAsFunction(_ input: (Body.Input, RandomKey)) throws -> Body.Output {
    let runtime = RandomRuntime(handlerID: handlerID, stream: RandomStream(base: input.1))
    return try EffectContext.running(runtime) { try body(input.0) }
  }

  /// Runs `operation` on the body with the stream over `key` running, as a call does: for
  /// code that runs the body another way than its call, such as a differentiable pass.
  ///
  /// ```swift
  /// let (loss, gradient, state) = try handled.withStream(for: key) { body in
  ///   try valueWithGradient(at: body, state) { model, state in model.loss(x, labels, state) }
  /// }
  /// ```
  ///
  /// - Throws: What `operation` throws.
  public func withStream<Result>(for key: RandomKey, _ operation: (Body) throws -> Result) rethrows -> Result {
    let runtime = RandomRuntime(handlerID: handlerID, stream: RandomStream(base: key))
    return try EffectContext.running(runtime) { try operation(body) }
  }
}

/// Gives its body the same keys on every call: Penzai's `WithFrozenRandomState`.
public struct WithFrozenRandomState<Body: Layer>: EffectHandler {
  /// `WithFrozenRandomState`.
  public static var handlerTag: String { "WithFrozenRandomState" }

  /// The ID shared with the references in the body.
  public let handlerID: HandlerID
  /// The handled model.
  public var body: Body
  /// The key every call's stream folds from.
  public var randomKey: RandomKey
  /// The offset of every call's first key.
  public var startingOffset: UInt32

  /// Takes the random requests of `body` that `holePredicate` accepts, and freezes them to
  /// the stream `randomKey.foldIn(startingOffset)`, `randomKey.foldIn(startingOffset + 1)`, ...
  ///
  /// - Throws: `EffectError.handlerIDExists` for an explicit ID already used in `body`.
  /// - Complexity: O(*n*) in the size of the body.
  public static func handling(
    _ body: Body, randomKey: RandomKey, startingOffset: UInt32 = 0,
    holePredicate: @escaping (RandomEffect) -> Bool = RandomEffect.isUntaggedRequest, handlerID: HandlerID? = nil
  ) throws -> WithFrozenRandomState {
    let id = try inferOrCheckHandlerID(tag: handlerTag, subtree: body, explicitID: handlerID)
    return WithFrozenRandomState(
      handlerID: id, body: handlingRandom(body, by: id, holePredicate: holePredicate), randomKey: randomKey,
      startingOffset: startingOffset)
  }

  /// Runs the body on `input` with the frozen stream.
  public func callAsFunction(_ input: Body.Input) throws -> Body.Output {
    let runtime = RandomRuntime(handlerID: handlerID, stream: RandomStream(base: randomKey, offset: startingOffset))
    return try EffectContext.running(runtime) { try body(input) }
  }
}

/// Keeps its random key in local state: each call splits the stored key into a key for the
/// body's stream and the next stored key. Penzai's `WithStatefulRandomKey`.
///
/// The key lives in a `LocalStateEffect` of category `"random"` (by default), so an outer
/// `handleLocalStates` takes it, as `WithStatefulRandomKey.random_state`, Penzai's name.
public struct WithStatefulRandomKey<Body: Layer>: EffectHandler {
  /// `WithStatefulRandomKey`.
  public static var handlerTag: String { "WithStatefulRandomKey" }

  /// The ID shared with the references in the body.
  public let handlerID: HandlerID
  /// The handled model.
  public var body: Body
  /// The stored key.
  public var randomState: LocalStateEffect<RandomKey>

  /// Takes the random requests of `body` that `holePredicate` accepts, with `initialKey`
  /// stored as an unnamed frozen local state of `stateCategory`.
  ///
  /// - Throws: `EffectError.handlerIDExists` for an explicit ID already used in `body`.
  /// - Complexity: O(*n*) in the size of the body.
  public static func handling(
    _ body: Body, initialKey: RandomKey, holePredicate: @escaping (RandomEffect) -> Bool = RandomEffect.isUntaggedRequest,
    stateCategory: String = "random", handlerID: HandlerID? = nil
  ) throws -> WithStatefulRandomKey {
    let id = try inferOrCheckHandlerID(tag: handlerTag, subtree: body, explicitID: handlerID)
    return WithStatefulRandomKey(
      handlerID: id, body: handlingRandom(body, by: id, holePredicate: holePredicate),
      randomState: .frozen(FrozenLocalStateRequest(state: initialKey, category: stateCategory)))
  }

  /// Splits the stored key, runs the body on `input` with a stream over the first half, and
  /// stores the second.
  ///
  /// - Throws: `EffectError` when the key's local state is not handled, and whatever the body
  ///   throws.
  public func callAsFunction(_ input: Body.Input) throws -> Body.Output {
    let (bodyKey, nextKey) = try randomState.get().split()
    let runtime = RandomRuntime(handlerID: handlerID, stream: RandomStream(base: bodyKey))
    let y = try EffectContext.running(runtime) { try body(input) }
    try randomState.set(nextKey)
    return y
  }

  /// Visits `.body`, then `.random_state` (Penzai's name).
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("body", &body)
    visitor.visit("random_state", &randomState)
  }
}
