import ExplicitState

/// A request for local state with an initializer: Penzai's `InitialLocalStateRequest`.
///
/// Without a name, the handler names the state by its path in the model; with one, states of
/// that name share one value (if the handler allows sharing).
public struct InitialLocalStateRequest<Value: Sendable>: Sendable {
  /// The category and name. Copies of one request share this object, separately made requests
  /// do not: under `.allowed` sharing, only requests with one label may share a name, as Penzai
  /// allows sharing only for the very same initializer object.
  @usableFromInline let label: LocalStateLabel
  /// Makes the state's initial value, when the handler builds the initial state.
  public let initializer: @Sendable () -> Value

  /// Creates the request.
  @inlinable
  public init(category: String, name: String? = nil, initializer: @escaping @Sendable () -> Value) {
    label = LocalStateLabel(category: category, name: name)
    self.initializer = initializer
  }

  /// The kind of state, which handlers select on (`"batch_stats"`, `"random"`, ...).
  @inlinable public var category: String { label.category }
  /// An explicit name, or `nil` to be named by the request's path.
  @inlinable public var name: String? { label.name }

  /// The frozen request holding the initializer's value.
  public func asFrozen() -> FrozenLocalStateRequest<Value> {
    FrozenLocalStateRequest(state: initializer(), label: label)
  }
}

/// A request for local state with a value: Penzai's `FrozenLocalStateRequest`, what
/// `freezeLocalStates(_:_:)` puts back into a model.
///
/// Unlike the other requests, `get()` works on it without a handler.
public struct FrozenLocalStateRequest<Value: Sendable>: Sendable {
  /// The category and name.
  @usableFromInline let label: LocalStateLabel
  /// The value.
  public var state: Value

  /// Creates the request.
  @inlinable
  public init(state: Value, category: String, name: String? = nil) {
    self.init(state: state, label: LocalStateLabel(category: category, name: name))
  }

  /// Creates the request with the label of the request or reference it comes from.
  @inlinable
  init(state: Value, label: LocalStateLabel) {
    self.label = label
    self.state = state
  }

  /// The kind of state.
  @inlinable public var category: String { label.category }
  /// An explicit name, or `nil` to be named by the request's path.
  @inlinable public var name: String? { label.name }
}

/// Another use of a named state: Penzai's `SharedLocalStateRequest`.
///
/// It must come after, in walk order, a request that gives the name its value.
public struct SharedLocalStateRequest<Value: Sendable>: Sendable {
  /// The category and name, which is never `nil` here.
  @usableFromInline let label: LocalStateLabel

  /// Creates the request.
  @inlinable
  public init(name: String, category: String) {
    label = LocalStateLabel(category: category, name: name)
  }

  /// Creates the request with the label of the named request or reference it stands for.
  @inlinable
  init(label: LocalStateLabel) {
    self.label = label
  }

  /// The name of the shared state.
  @inlinable public var name: String { label.name ?? "" }
  /// The kind of state; not checked against the defining request, as in Penzai.
  @inlinable public var category: String { label.category }
}

/// What a local-state request becomes when a handler takes it: Penzai's
/// `HandledLocalStateRef`.
///
/// Its fields sit in one immutable object: a layer is copied on every call through
/// `Sequential`, and copying a reference then counts one reference instead of one per string.
public struct HandledLocalStateRef: Hashable, Sendable {
  @usableFromInline
  final class Fields: Sendable {
    @usableFromInline let handlerID: HandlerID
    /// The identity of the handler that made the reference.
    @usableFromInline let token: HandlerToken
    /// The label of the request the handler took: its category and explicit name, if any.
    @usableFromInline let label: LocalStateLabel
    @usableFromInline let name: String
    @usableFromInline let key: StateKey

    init(handlerID: HandlerID, token: HandlerToken, label: LocalStateLabel, name: String, key: StateKey) {
      self.handlerID = handlerID
      self.token = token
      self.label = label
      self.name = name
      self.key = key
    }
  }

  @usableFromInline let fields: Fields

  /// The reference to the state `name`, of a request labelled `label`.
  init(handlerID: HandlerID, token: HandlerToken, label: LocalStateLabel, name: String, key: StateKey) {
    fields = Fields(handlerID: handlerID, token: token, label: label, name: name, key: key)
  }

  /// The handler's ID.
  @inlinable public var handlerID: HandlerID { fields.handlerID }
  /// The kind of state.
  @inlinable public var category: String { fields.label.category }
  /// The state's name: its explicit name, or its path in the handler's body.
  @inlinable public var name: String { fields.name }
  /// Whether `name` was given explicitly.
  @inlinable public var wasExplicitlyNamed: Bool { fields.label.name != nil }
  /// The label of the request the handler took, which requests made from the reference share.
  @inlinable var label: LocalStateLabel { fields.label }
  /// The key of the state in the handler's `State`.
  @inlinable public var key: StateKey { fields.key }

  /// Two references are equal when all their fields are.
  public static func == (lhs: HandledLocalStateRef, rhs: HandledLocalStateRef) -> Bool {
    lhs.fields === rhs.fields
      || (lhs.handlerID == rhs.handlerID && lhs.category == rhs.category && lhs.name == rhs.name
        && lhs.wasExplicitlyNamed == rhs.wasExplicitlyNamed && lhs.key == rhs.key)
  }

  /// Hashes all the fields.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(handlerID)
    hasher.combine(category)
    hasher.combine(name)
    hasher.combine(wasExplicitlyNamed)
    hasher.combine(key)
  }
}

extension HandledLocalStateRef: CustomStringConvertible {
  /// `HandledLocalStateRef(handlerID: "…", category: "…", name: "…", wasExplicitlyNamed: false)`.
  public var description: String {
    "HandledLocalStateRef(handlerID: \"\(handlerID)\", category: \"\(category)\", name: \"\(name)\", "
      + "wasExplicitlyNamed: \(wasExplicitlyNamed))"
  }
}

/// How `handleLocalStates` treats two requests for one name.
public enum StateSharing: String, Sendable, CaseIterable {
  /// Two requests may not share a name, and `SharedLocalStateRequest` is refused.
  case forbidden
  /// Shared requests are allowed; two initial requests may share a name only if they are
  /// copies of one request.
  case allowed
  /// Anything may share a name; the last request's value is the initial value.
  case unsafe
}
