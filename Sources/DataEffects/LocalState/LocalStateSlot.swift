import ExplicitState

/// What handling needs of an unhandled local-state request, read in one switch: in the
/// unspecialized code of a walk, each switch over a `LocalStateEffect<Value>` that binds a
/// payload looks up the payload type's metadata.
struct LocalStateRequestFacts {
  /// The category and explicit name, which the reference made of the request shares.
  let label: LocalStateLabel
  /// The kind of request.
  let kind: Kind

  /// The kind of state.
  var category: String { label.category }
  /// The explicit name, if any.
  var explicitName: String? { label.name }

  /// The kinds of unhandled request.
  enum Kind {
    case initial, frozen, shared
  }

  /// Whether the request is a `SharedLocalStateRequest`.
  var isShared: Bool { kind == .shared }
}

/// The operations a local-state handler needs on a `LocalStateEffect` of any value type.
protocol LocalStateSlot: EffectSlot {
  /// The request's facts, or `nil` once handled.
  var requestFacts: LocalStateRequestFacts? { get }
  /// The category of a request or reference.
  var category: String { get }
  /// The explicit name of a request or a reference, if any.
  var explicitName: String? { get }
  /// Whether the slot is a shared request.
  var isSharedRequest: Bool { get }
  /// The identity of an initial request's initializer.
  var initializerIdentity: ObjectIdentifier? { get }
  /// The name of the value type.
  var valueTypeName: String { get }
  /// The value type.
  static var valueType: Any.Type { get }
  /// The reference, once handled.
  var reference: HandledLocalStateRef? { get }
  /// Appends the request's initial value (running an initializer) under `key`.
  func appendInitialValue(to builder: inout StateBuilder, key: StateKey)
  /// The definition of a named request as a frozen or initial request, for hoisting.
  func sharedRequest() -> Self
}

extension LocalStateEffect: LocalStateSlot {
  var requestFacts: LocalStateRequestFacts? {
    switch self {
    case .initial(let r): return LocalStateRequestFacts(label: r.label, kind: .initial)
    case .frozen(let r): return LocalStateRequestFacts(label: r.label, kind: .frozen)
    case .shared(let r): return LocalStateRequestFacts(label: r.label, kind: .shared)
    case .handled: return nil
    }
  }

  var category: String {
    switch self {
    case .initial(let r): return r.category
    case .frozen(let r): return r.category
    case .shared(let r): return r.category
    case .handled(let r): return r.category
    }
  }

  var explicitName: String? {
    switch self {
    case .initial(let r): return r.name
    case .frozen(let r): return r.name
    case .shared(let r): return r.name
    case .handled(let r): return r.wasExplicitlyNamed ? r.name : nil
    }
  }

  var isSharedRequest: Bool {
    if case .shared = self { return true }
    return false
  }

  var initializerIdentity: ObjectIdentifier? {
    if case .initial(let r) = self { return ObjectIdentifier(r.label) }
    return nil
  }

  var valueTypeName: String { String(describing: Value.self) }

  static var valueType: Any.Type { Value.self }

  var reference: HandledLocalStateRef? {
    if case .handled(let r) = self { return r }
    return nil
  }

  func appendInitialValue(to builder: inout StateBuilder, key: StateKey) {
    switch self {
    case .initial(let r): builder.append(r.initializer(), for: key)
    case .frozen(let r): builder.append(r.state, for: key)
    case .shared, .handled: break
    }
  }

  func sharedRequest() -> LocalStateEffect {
    .shared(SharedLocalStateRequest(name: explicitName ?? "", category: category))
  }
}
