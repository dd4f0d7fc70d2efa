/// Returns a new state in which the given entries have new values.
///
/// The old state is never changed. Write it the natural way; with a `consuming` state
/// parameter in each layer, the update happens in place:
///
/// ```swift
/// func callAsFunction(_ x: Tensor, _ state: consuming State) throws -> State {
///   let first = try state[self.first]
///   return try updateState(state, [self.first: 0.9 * first + 0.1 * x])
/// }
/// ```
///
/// Unlike Inox's `update_state`, which adds unknown keys and accepts any value, an update
/// only changes existing entries: every key must be in the state. A key listed twice takes
/// its last value. The state passed in is never changed, even when the update throws.
///
/// Only `StateError` is thrown. The function is declared with untyped `throws` on purpose:
/// with typed throws, Swift 6.3 copies a `consuming` argument at every call instead of
/// handing it over, and every update would copy part of the state.
///
/// - Throws: `StateError.unexportedEntry` for an entry not yet exported,
///   `StateError.unknownKey` for a key the state lacks, and `StateError.typeMismatch` when
///   the stored value is not a `Value`.
/// - Complexity: O(*m*) for *m* updated entries when the old state is not used again (it is
///   updated in place), O(*m* log₃₂ *n*) when it is kept.
@inlinable
public func updateState<Value: Sendable>(
  _ state: consuming State, _ mutation: KeyValuePairs<StateEntry<Value>, Value>
) throws -> State {
  // One pass suffices for "nothing changes unless every key is valid": the state was handed
  // over, so a throw discards the partly written copy, and nobody else can see it.
  for (entry, value) in mutation {
    let slot = try state.slot(of: entry)
    guard state.values.setValue(value, at: slot) else {
      throw state.typeMismatch(at: slot, writing: Value.self)
    }
  }
  return state
}

/// Returns a new state in which the given keys have new values of any type.
///
/// The untyped form of `updateState(_:_:)`, for keys known only at run time, as in Inox: each
/// value must have the type already stored under its key.
///
/// - Throws: `StateError.unknownKey` for a key the state lacks, and `StateError.typeMismatch`
///   for a value whose type differs from the stored value's type. The state passed in is
///   never changed.
/// - Complexity: O(*m* log₃₂ *n*) for *m* updated entries.
public func updateState(
  _ state: consuming State, _ mutation: [StateKey: any Sendable]
) throws -> State {
  for (key, value) in mutation {
    guard let slot = state.keyTable.slot(of: key) else {
      throw StateError.unknownKey(key, entryCount: state.count)
    }
    guard state.values.setAnyValue(value, at: slot) else {
      throw StateError.typeMismatch(
        key, expected: state.values.valueTypeName(at: slot), found: String(describing: type(of: value)))
    }
  }
  return state
}
