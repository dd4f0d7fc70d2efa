import ExplicitState

/// A cell of local state in a layer: Penzai's `LocalStateEffect`, holding a request until a
/// handler takes it and a reference afterwards.
///
/// ```swift
/// struct ExampleLayerWithAState: Layer {
///   var accumulator: LocalStateEffect<Float> = .initial(category: "example_state") { 0 }
///   func callAsFunction(_ x: Float) throws -> Float {
///     try accumulator.set(accumulator.get() + x)
///     return x
///   }
///   ...
/// }
/// ```
///
/// While the handler runs, `get()` reads and `set(_:)` updates the handler's `State`.
public enum LocalStateEffect<Value: Sendable>: EffectSlot {
  /// A request with an initializer.
  case initial(InitialLocalStateRequest<Value>)
  /// A request with a value.
  case frozen(FrozenLocalStateRequest<Value>)
  /// Another use of a named state.
  case shared(SharedLocalStateRequest<Value>)
  /// A reference to the handler that took the request.
  case handled(HandledLocalStateRef)

  /// A request whose initial value `initializer` makes.
  public static func initial(
    category: String, name: String? = nil, initializer: @escaping @Sendable () -> Value
  ) -> LocalStateEffect {
    .initial(InitialLocalStateRequest(category: category, name: name, initializer: initializer))
  }

  /// The state's value.
  ///
  /// - Throws: `EffectError.unhandledRequest` for an initial or shared request no handler
  ///   took, `EffectError.unboundReference` when the reference's handler is not running, and
  ///   `EffectError.overlappingAccess` inside a `modify(_:)` of this same state. A frozen
  ///   request returns its value without a handler.
  @inlinable
  public func get() throws -> Value {
    switch self {
    case .handled(let reference):
      let runtime = try Self.runtime(for: reference, method: "get")
      if runtime.isModifying(reference.key) { throw Self.overlap(reference, method: "get") }
      return try runtime.value(for: reference.key, as: Value.self)
    case .frozen(let request):
      return request.state
    case .initial, .shared:
      throw EffectError.unhandledRequest(method: "get", requestType: unhandledRequestType ?? "")
    }
  }

  /// Replaces the state's value, as an `updateState` of the handler's `State`.
  ///
  /// - Throws: `EffectError.unhandledRequest` for a request no handler took (frozen ones
  ///   included), `EffectError.unboundReference` when the reference's handler is not
  ///   running, and `EffectError.overlappingAccess` inside a `modify(_:)` of this same state.
  @inlinable
  public func set(_ value: Value) throws {
    guard case .handled(let reference) = self else {
      throw EffectError.unhandledRequest(method: "set", requestType: unhandledRequestType ?? "")
    }
    let runtime = try Self.runtime(for: reference, method: "set")
    if runtime.isModifying(reference.key) { throw Self.overlap(reference, method: "set") }
    try runtime.update(reference.key, to: value)
  }

  /// Changes the state's value in place, and returns what `body` returns.
  ///
  /// ```swift
  /// try accumulator.modify { total in try total += x }
  /// ```
  ///
  /// Like `set(get() ...)`, but without copying the value when the handler's state is not
  /// shared. `body` may read and change other local states of the same handler; this one it
  /// changes through its argument.
  ///
  /// - Throws: as `set(_:)`; `EffectError.overlappingAccess` when called from inside a
  ///   `modify` of this same state; and whatever `body` throws.
  @inlinable @inline(__always)
  public func modify<Result>(_ body: (inout Value) throws -> Result) throws -> Result {
    guard case .handled(let reference) = self else {
      throw EffectError.unhandledRequest(method: "modify", requestType: unhandledRequestType ?? "")
    }
    let runtime = try Self.runtime(for: reference, method: "modify")
    if runtime.isModifying(reference.key) { throw Self.overlap(reference, method: "modify") }
    return try runtime.modify(reference.key, as: Value.self, body)
  }

  /// The error for `method` on `reference` inside a `modify` of the same state.
  @usableFromInline
  static func overlap(_ reference: HandledLocalStateRef, method: String) -> EffectError {
    .overlappingAccess(method: method, reference: reference.description)
  }

  // Static, as `overlap` is: once the reference is out, the enum is not needed, and methods
  // of it made the optimizer keep a copy of the whole enum alive through the access.
  @usableFromInline
  static func runtime(for reference: HandledLocalStateRef, method: String) throws -> LocalStateRuntime {
    guard let runtime = EffectContext.localStateRuntime(for: reference) else {
      throw EffectError.unboundReference(method: method, reference: reference.description)
    }
    return runtime
  }

  /// `.localState`.
  public var effectKind: EffectKind { .localState }

  /// The request's type name, or `nil` once handled.
  public var unhandledRequestType: String? {
    switch self {
    case .initial: return "InitialLocalStateRequest"
    case .frozen: return "FrozenLocalStateRequest"
    case .shared: return "SharedLocalStateRequest"
    case .handled: return nil
    }
  }

  /// The handler's ID once handled.
  public var handlerID: HandlerID? {
    if case .handled(let reference) = self { return reference.handlerID }
    return nil
  }

  /// The request's kind, category and name, or the reference.
  public var structureDescription: String {
    switch self {
    case .initial(let r): return "InitialLocalStateRequest<\(Value.self)>(category: \"\(r.category)\", name: \(r.name.map { "\"\($0)\"" } ?? "nil"))"
    case .frozen(let r): return "FrozenLocalStateRequest<\(Value.self)>(category: \"\(r.category)\", name: \(r.name.map { "\"\($0)\"" } ?? "nil"))"
    case .shared(let r): return "SharedLocalStateRequest<\(Value.self)>(name: \"\(r.name)\", category: \"\(r.category)\")"
    case .handled(let r): return r.description
    }
  }
}

extension LocalStateEffect {
  /// Hands this slot to `visitor`; the walks of `freezeLocalStates` and `handleLocalStates`
  /// freeze it or install its reference here, in code specialized for `Value` where the
  /// enclosing layer is compiled.
  ///
  /// Done generically instead, as through `visitChildren(_:)` when a parent hands the slot to
  /// `visitNode(_:)`, the same work looks up the metadata of the request types and copies the
  /// enum through its value witnesses: most of a frozen layer's cost. Always inlined, so that
  /// it is compiled with `Value` known even where the visitor's type is not.
  @inlinable @inline(__always)
  public mutating func _accept<Visitor: StateVisitor>(_ visitor: inout Visitor) {
    if !handOver(to: &visitor) { visitor.visitNode(&self) }
  }

  /// Freezes or installs this slot if `visitor` is the walk of `freezeLocalStates` or of
  /// `handleLocalStates` that does so; returns whether it was.
  @inlinable @inline(__always)
  mutating func handOver<Visitor: StateVisitor>(to visitor: inout Visitor) -> Bool {
    if Visitor.self == LocalStateFreezer.self {
      withVisitor(&visitor, as: LocalStateFreezer.self) { $0.freeze(&self) }
      return true
    }
    if Visitor.self == LocalStateInstaller.self {
      withVisitor(&visitor, as: LocalStateInstaller.self) { $0.install(&self) }
      return true
    }
    return false
  }

  /// Shows this slot's children to `visitor`: it has none, but the walks of
  /// `freezeLocalStates` and `handleLocalStates` that reach the slot through `visitNode(_:)`
  /// rather than `_accept(_:)` freeze it or install its reference here.
  @inlinable
  public mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor) {
    _ = handOver(to: &visitor)
  }

  /// Replaces a reference to the handler `handlerID` by a frozen request holding its value in
  /// `state`, or by a shared request for an explicit name already in `seenNames`, which
  /// collects them. Other slots stay as they are.
  ///
  /// - Throws: `StateError` if `state` lacks the reference's key or holds another type there.
  @inlinable
  mutating func freezeReference(of handlerID: HandlerID, from state: State, seenNames: inout Set<String>) throws {
    guard case .handled(let r) = self, r.handlerID == handlerID else { return }
    if r.wasExplicitlyNamed, !seenNames.insert(r.name).inserted {
      self = .shared(SharedLocalStateRequest(label: r.label))
      return
    }
    let value = try state.value(for: r.key, as: Value.self)
    self = .frozen(FrozenLocalStateRequest(state: value, label: r.label))
  }
}

extension LocalStateEffect: CustomStringConvertible {
  /// The request or reference, with a frozen request's value summarized.
  public var description: String {
    if case .frozen(let r) = self {
      return "FrozenLocalStateRequest(state: \(stateSummary(of: r.state)), category: \"\(r.category)\", "
        + "name: \(r.name.map { "\"\($0)\"" } ?? "nil"))"
    }
    return structureDescription
  }
}
