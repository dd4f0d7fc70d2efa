/// What a handler provides to the references it made, while its body runs.
///
/// Penzai substitutes implementations into a copy of the body on every call; here the
/// handler installs its runtime in its thread's effect context instead, for the duration of
/// the call, and references look it up by handler ID, so calls never rebuild the model tree.
@usableFromInline
protocol EffectRuntime: AnyObject {
  /// The ID of the handler that owns this runtime.
  var handlerID: HandlerID { get }
}

/// The runtimes of the handlers currently running, innermost first.
///
/// A runtime lives for one handler call and is used by the layers of that call, on its task:
/// it is never shared with another call, hence `@unchecked Sendable`.
@usableFromInline
final class EffectContext: @unchecked Sendable {
  @usableFromInline let runtime: any EffectRuntime
  /// The runtime's handler ID, kept here so that finding a runtime compares strings without
  /// calling through the runtime's protocol witness for each context.
  @usableFromInline let handlerID: HandlerID
  @usableFromInline let parent: EffectContext?
  /// `runtime`, when it is a local-state runtime, which `runtime` keeps alive: found without
  /// a cast or reference counting on every local-state access.
  @usableFromInline unowned(unsafe) let localState: LocalStateRuntime?
  /// The identity of `localState`'s handler, kept here so that a lookup compares integers
  /// without loading the runtime of every context it passes.
  @usableFromInline let localStateToken: ObjectIdentifier?

  init(runtime: any EffectRuntime, parent: EffectContext?) {
    self.runtime = runtime
    handlerID = runtime.handlerID
    self.parent = parent
    localState = runtime as? LocalStateRuntime
    localStateToken = localState.map { ObjectIdentifier($0.token) }
  }

  /// The runtimes of the running handlers on this thread, innermost first.
  ///
  /// A handled call is synchronous, so it runs on one thread from start to end, and the
  /// handlers it runs are exactly those this thread installed and has not yet removed. A task
  /// started inside a layer does not inherit the handlers, so it cannot reach a runtime after
  /// the handled call that owns it has returned.
  // A thread-local slot finds them in a few instructions, where a task-local value took a
  // lookup through the task's bindings on every effect access.
  @usableFromInline
  static var current: EffectContext? {
    ThreadContextSlot.value.map { Unmanaged<EffectContext>.fromOpaque($0).takeUnretainedValue() }
  }

  /// The innermost running handler's runtime with this ID, if any.
  @usableFromInline
  static func runtime(for id: HandlerID) -> (any EffectRuntime)? {
    var context = current
    while let node = context {
      if node.handlerID == id { return node.runtime }
      context = node.parent
    }
    return nil
  }

  /// The local-state runtime `reference` binds to: that of the innermost running
  /// local-state handler that made it or has its handler ID, if any.
  ///
  /// The walk counts no references to contexts: the thread's contexts are kept alive by the
  /// calls of `running(_:_:)` on its stack, and each context keeps its parent and runtime
  /// alive. The retains and releases of the contexts and the cast of the runtime were about
  /// 5% of a handled call's time.
  @usableFromInline
  static func localStateRuntime(for reference: HandledLocalStateRef) -> LocalStateRuntime? {
    guard let pointer = ThreadContextSlot.value else { return nil }
    let token = ObjectIdentifier(reference.fields.token)
    unowned(unsafe) var context = Unmanaged<EffectContext>.fromOpaque(pointer).takeUnretainedValue()
    while true {
      // The handler that made the reference is found by identity; another handler with the
      // same ID, which Penzai binds too, by comparing IDs.
      if context.localStateToken == token { return context.localState }
      if context.localState != nil, context.handlerID == reference.handlerID { return context.localState }
      guard let parent = context.parent else { return nil }
      context = parent
    }
  }

  /// Runs `body` with `runtime` installed as the innermost running handler.
  static func running<Result>(_ runtime: any EffectRuntime, _ body: () throws -> Result) rethrows -> Result {
    let previous = ThreadContextSlot.value
    let context = EffectContext(runtime: runtime, parent: current)
    ThreadContextSlot.value = Unmanaged.passUnretained(context).toOpaque()
    defer { ThreadContextSlot.value = previous }
    return try withExtendedLifetime(context) { try body() }
  }
}
