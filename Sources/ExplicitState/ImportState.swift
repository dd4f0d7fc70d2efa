/// Puts a state's values back into an exported model, as entries: the inverse of
/// `exportState(_:)`.
///
/// Every key in the model is replaced by a `StateEntry` holding the state's value for it, so
/// `importState(exportState(m))` equals `m`. Penzai calls its version `freeze_local_states`;
/// Inox has none. Use it to get a self-contained model back, to re-export it under another
/// tree, or to save one file with values in place.
///
/// ```swift
/// let (exported, state) = try exportState(model)
/// let restored = try importState(exported, state)   // == model
/// ```
///
/// The state must match the model exactly: every key of the model must be in the state, and
/// every key of the state must be in the model.
///
/// - Throws: `StateError.keyMismatch` listing the model's keys missing from the state and the
///   state's keys the model lacks, and `StateError.typeMismatch` when a value's type differs
///   from the entry's.
/// - Complexity: O(*n*) in the size of the tree.
@inlinable
public func importState<Model: StateVisitable>(
  _ model: Model, _ state: State
) throws(StateError) -> Model {
  var model = model
  var importer = StateImporter(state: state)
  model.visitChildren(&importer)
  if let error = importer.firstTypeError { throw error }
  let extra = importer.unusedKeys()
  guard importer.missing.isEmpty, extra.isEmpty else {
    throw .keyMismatch(missing: importer.missing, extra: extra)
  }
  return model
}

/// The visitor behind `importState(_:_:)`.
@usableFromInline
struct StateImporter: StateVisitor {
  @usableFromInline let state: State
  @usableFromInline var used: [Bool]
  @usableFromInline var missing: [StateKey] = []
  @usableFromInline var firstTypeError: StateError?

  @inlinable
  init(state: State) {
    self.state = state
    used = Array(repeating: false, count: state.count)
  }

  @inlinable
  mutating func enter(_ component: PathComponent) {}

  @inlinable
  mutating func exit() {}

  @inlinable
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {
    guard let key = entry.exportedKey else { return }
    guard let slot = state.keyTable.slot(of: key) else {
      missing.append(key)
      return
    }
    used[slot] = true
    guard state.values.holds(Value.self, at: slot) else {
      if firstTypeError == nil {
        firstTypeError = .typeMismatch(
          key, expected: String(describing: Value.self), found: state.values.valueTypeName(at: slot))
      }
      return
    }
    entry.exportedKey = nil
    entry.initialValue = state.values.value(at: slot, as: Value.self)
  }

  @usableFromInline
  func unusedKeys() -> [StateKey] {
    zip(state.keyTable.keys, used).compactMap { $1 ? nil : $0 }
  }
}
