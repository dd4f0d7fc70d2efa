import ExplicitState

/// An error of the data-effects layer. The messages follow Penzai's where Penzai has one, and
/// name the keys, names and types involved where Penzai's are unclear.
public enum EffectError: Error, Hashable, Sendable {
  /// An effect method was called on a request that no handler took.
  case unhandledRequest(method: String, requestType: String)
  /// An effect method was called on a reference whose handler is not running it.
  case unboundReference(method: String, reference: String)
  /// A local state was read or changed inside its own `modify`.
  case overlappingAccess(method: String, reference: String)
  /// `stateSharing: .forbidden` met two states with one explicit name.
  case duplicateStateName(String)
  /// `stateSharing: .allowed` met two states with one name but different initializers.
  case conflictingStateInitializers(String)
  /// `stateSharing: .forbidden` met a `SharedLocalStateRequest`.
  case sharedStateForbidden(String)
  /// A `SharedLocalStateRequest` came before any request giving its value.
  case sharedStateBeforeValue(String)
  /// Two requests share a name but hold values of different types.
  case stateTypeConflict(name: String, first: String, second: String)
  /// `handleLocalStates` was given neither a category nor a category predicate.
  case categoryNotSpecified
  /// `handleLocalStates` was given both a category and a category predicate.
  case categoryOverspecified
  /// `hoistSharedStateRequests` met two definitions of one name.
  case conflictingHoistedStates(String)
  /// `embedSharedStateRequests` was given a definition of another category.
  case mismatchedCategories(got: String, expected: String)
  /// An explicit handler ID is already used inside the body.
  case handlerIDExists(HandlerID)
  /// No prefix of the structure's digest gives an unused handler ID.
  case handlerIDCollision(HandlerID)
  /// A handled model was called with a state whose keys are not the handler's.
  case stateKeyMismatch(handlerID: HandlerID, missing: [StateKey], extra: [StateKey])
  /// A selection asked for an edit its nodes cannot take.
  case invalidSelection(String)
}

extension EffectError: CustomStringConvertible {
  /// The message, in Penzai's words where Penzai has them.
  public var description: String {
    switch self {
    case .unhandledRequest(let method, let type):
      return "Effect method '\(method)' was called on a non-handled effect request of type \(type)! This usually "
        + "means that an effectful layer has been called without wrapping that layer in an effect handler that "
        + "knows how to interpret the effect. Instances of EffectRequest must be replaced before the layer is called."
    case .unboundReference(let method, let reference):
      return "Effect method '\(method)' was called on an unbound effect reference \(reference)! Layers with side "
        + "effects should only be called using the handler that handles those effects. This error usually means "
        + "that an effectful node was removed from its handler without actually handling the effect first."
    case .overlappingAccess(let method, let reference):
      return "Effect method '\(method)' was called on \(reference) while a 'modify' of the same state was "
        + "running. Inside 'modify', read and change that state through the closure's argument."
    case .duplicateStateName(let name):
      return "Detected two local states with the same explicit name '\(name)', which is not allowed when "
        + "stateSharing is .forbidden."
    case .conflictingStateInitializers(let name):
      return "Detected two local states with the same explicit name '\(name)' but different initializers! This is "
        + "only allowed when stateSharing is .unsafe."
    case .sharedStateForbidden(let name):
      return "Found a SharedLocalStateRequest for state variable \(name) when stateSharing is .forbidden. "
        + "SharedLocalStateRequest must only be used when stateSharing is .allowed or .unsafe."
    case .sharedStateBeforeValue(let name):
      return "Found a SharedLocalStateRequest for state variable \(name) before seeing a corresponding value. "
        + "SharedLocalStateRequest must appear after some other state request with the same name and an explicit value."
    case .stateTypeConflict(let name, let first, let second):
      return "Local states named '\(name)' hold values of two types, \(first) and \(second); a shared state has one type."
    case .categoryNotSpecified:
      return "One of `category` and `categoryPredicate` must be specified. (To handle states of every category, "
        + "use `categoryPredicate: { _ in true }`.)"
    case .categoryOverspecified:
      return "Only one of `category` and `categoryPredicate` may be specified."
    case .conflictingHoistedStates(let name):
      return "Detected two local states with the same explicit name '\(name)' but different initializers or "
        + "values! This is only allowed when `unsafe` is true."
    case .mismatchedCategories(let got, let expected):
      return "Tried to substitute values with mismatched categories! Got \(got), expected \(expected)"
    case .handlerIDExists(let id):
      return "Explicit handler ID \(id) already exists in the subtree!"
    case .handlerIDCollision(let id):
      return "Hash collision: every prefix of \(id) is already a handler ID in the subtree."
    case .stateKeyMismatch(let id, let missing, let extra):
      var parts: [String] = []
      if !missing.isEmpty { parts.append("missing: " + missing.map(\.path).joined(separator: ", ")) }
      if !extra.isEmpty { parts.append("unexpected: " + extra.map(\.path).joined(separator: ", ")) }
      return "\(id) was called with a state whose keys do not match its local states; "
        + parts.joined(separator: "; ") + "."
    case .invalidSelection(let message):
      return message
    }
  }
}
