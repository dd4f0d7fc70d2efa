/// An error thrown by the state core: every message names the key, what was expected and what
/// was found.
public enum StateError: Error, Hashable, Sendable {
  /// A read asked for a key the state does not hold.
  case missingKey(StateKey, entryCount: Int)
  /// A value did not have the type that was expected at that key.
  ///
  /// On a read, `expected` is the type asked for and `found` the type stored; on an update,
  /// `expected` is the type stored and `found` the type given; on an import, `expected` is the
  /// entry's type in the model and `found` the type in the state.
  case typeMismatch(StateKey, expected: String, found: String)
  /// `updateState` was given a key the state does not hold: updates never add keys.
  case unknownKey(StateKey, entryCount: Int)
  /// An entry was used as a key before `exportState(_:)` gave it one.
  case unexportedEntry(valueType: String)
  /// `importState(_:_:)` found keys in the model that the state lacks, or keys in the state
  /// that the model lacks.
  case keyMismatch(missing: [StateKey], extra: [StateKey])
  /// Two entries of one tree have the same path, so `exportState(_:)` cannot key them apart.
  case duplicateKey(StateKey)
  /// A `visitChildren(_:)` implementation called `exit()` more or fewer times than `enter(_:)`.
  case unbalancedTraversal(enters: Int, exits: Int)
  /// A key would hold a component that cannot be part of a path: an empty field name, one
  /// holding `.`, `[` or `]`, or a name that is not a whole key. `parent` is the path before it.
  case invalidPathComponent(PathComponent, parent: String, expected: String)
  /// `exportState(_:)` met a node that is an instance of a class: exporting it would change
  /// every model that shares the instance, the caller's included.
  case referenceTypeNode(path: String, type: String)
  /// `exportState(_:)` reached a node deeper than 1,000 levels, the most it walks.
  case treeTooDeep(path: String, depth: Int)
  /// `State.modify(_:_:_:)` was given two entries with one key: one value cannot be changed
  /// through two arguments at once.
  case overlappingAccess(StateKey)
}

extension StateError: CustomStringConvertible {
  /// A sentence that names the key, what was expected and what was found.
  public var description: String {
    switch self {
    case .missingKey(let key, let count):
      return "No entry for \(key) in this state of \(count) entries: expected a key exported "
        + "from the same model."
    case .typeMismatch(let key, let expected, let found):
      return "\(key): expected a value of type \(expected), found a value of type \(found)."
    case .unknownKey(let key, let count):
      return "updateState: \(key) is not in this state of \(count) entries; updateState "
        + "changes existing entries and never adds keys."
    case .unexportedEntry(let type):
      return "A StateEntry<\(type)> still holds its value and has no key: export the model "
        + "with exportState(_:) before reading or updating its state."
    case .keyMismatch(let missing, let extra):
      var parts: [String] = []
      if !missing.isEmpty {
        parts.append("missing from the state: " + missing.map(\.description).joined(separator: ", "))
      }
      if !extra.isEmpty {
        parts.append("not in the model: " + extra.map(\.description).joined(separator: ", "))
      }
      return "importState: the state does not match the model; " + parts.joined(separator: "; ") + "."
    case .duplicateKey(let key):
      return "exportState: two entries have the path \(key); a visitChildren(_:) "
        + "implementation visits two children under one name."
    case .unbalancedTraversal(let enters, let exits):
      return "exportState: visitChildren(_:) called enter(_:) \(enters) times but exit() "
        + "\(exits) times; every enter needs one exit."
    case .invalidPathComponent(let component, let parent, let expected):
      let place = parent.isEmpty ? "at the root" : "under \(parent)"
      let found: String
      switch component {
      case .field(let name): found = "the field name \"\(name)\""
      case .name(let name): found = "the name \"\(name)\""
      case .index(let index): found = "the index \(index)"
      case .key(let key): found = "the key \"\(key)\""
      }
      return "A key \(place) cannot hold \(found): expected \(expected)."
    case .referenceTypeNode(let path, let type):
      return "exportState: the node at \(path.isEmpty ? "the root" : path) is an instance of the class \(type); "
        + "expected a value type, since exporting would swap the entries of every model sharing the instance."
    case .treeTooDeep(let path, let depth):
      return "exportState: the tree is deeper than \(depth) levels at \(path); expected a module tree of "
        + "at most \(depth) levels."
    case .overlappingAccess(let key):
      return "State.modify: both entries have the key \(key); expected two different entries, "
        + "since one value cannot be changed through two arguments at once."
    }
  }
}
