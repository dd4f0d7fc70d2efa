extension State {
  /// Sets the value of `key`, in place: the mutating form of `updateState(_:_:)`, by key, for
  /// `DataEffects`' local states (users write through entries: `modify(_:_:)`, `edit(_:)`).
  ///
  /// - Throws: `StateError.unknownKey` if the state lacks `key`, and
  ///   `StateError.typeMismatch` if the stored value is not a `Value`.
  /// - Complexity: O(log₃₂ *n*); no copying when this state's storage is not shared.
  @inlinable
  package mutating func update<Value: Sendable>(_ key: StateKey, to value: consuming Value) throws(StateError) {
    guard let slot = keyTable.slot(of: key) else { throw .unknownKey(key, entryCount: count) }
    guard values.setValue(value, at: slot) else {
      throw typeMismatch(at: slot, writing: Value.self)
    }
  }

  /// Changes the value of an exported entry in place, and returns what `body` returns.
  ///
  /// ```swift
  /// try state.modify(self.first) { first in first += 1 }
  /// ```
  ///
  /// When this state's storage and the value are not shared, `body` changes the value where it
  /// is stored: a tensor's elements are updated without a copy, under the natural call pattern
  /// `state = layer(x, state)` with a `consuming` state parameter. Otherwise only the path to
  /// the value is copied, and states that share it never see the change.
  ///
  /// - Throws: `StateError.unexportedEntry`, `StateError.unknownKey` or
  ///   `StateError.typeMismatch` as `updateState` does, and whatever `body` throws (the value
  ///   then keeps what `body` did to it before throwing).
  /// - Complexity: O(log₃₂ *n*) plus `body`.
  // Always inlined: with the caller's closure in view, the optimizer drops the retains and
  // releases of what the closure captures, about 40% of a small layer's call.
  @inlinable @inline(__always)
  public mutating func modify<Value: Sendable, Result>(
    _ entry: StateEntry<Value>, _ body: (inout Value) throws -> Result
  ) throws -> Result {
    let slot = try slot(of: entry)
    guard let result = try values.modifyValue(Value.self, at: slot, body) else {
      throw typeMismatch(at: slot, writing: Value.self)
    }
    return result
  }

  /// Changes the values of two exported entries in place, together, and returns what `body`
  /// returns.
  ///
  /// ```swift
  /// try state.modify(self.first, self.second) { first, second in
  ///   try Tensor.combine(&first, &second, with: x) { first, second, x in ... }
  /// }
  /// ```
  ///
  /// One pass can then update both values, as a layer with two statistics wants; otherwise
  /// as `modify(_:_:)`, for each value.
  ///
  /// - Throws: `StateError.overlappingAccess` when both entries have one key, the errors of
  ///   `modify(_:_:)` for either entry, and whatever `body` throws (the values then keep what
  ///   `body` did to them before throwing).
  /// - Complexity: O(log₃₂ *n*) plus `body`.
  @inlinable @inline(__always)
  public mutating func modify<First: Sendable, Second: Sendable, Result>(
    _ first: StateEntry<First>, _ second: StateEntry<Second>, _ body: (inout First, inout Second) throws -> Result
  ) throws -> Result {
    let firstSlot = try slot(of: first)
    let secondSlot = try slot(of: second)
    guard firstSlot != secondSlot else { throw StateError.overlappingAccess(keyTable.keys[firstSlot]) }
    guard values.holds(First.self, at: firstSlot) else { throw typeMismatch(at: firstSlot, writing: First.self) }
    guard values.holds(Second.self, at: secondSlot) else { throw typeMismatch(at: secondSlot, writing: Second.self) }
    // Making the second value's path and leaf unique copies only what is shared, and nothing
    // on the first value's path is any longer, so the first pointer stays valid.
    let firstValue = values.uniqueValue(at: firstSlot, as: First.self)
    let secondValue = values.uniqueValue(at: secondSlot, as: Second.self)
    return try body(&firstValue.pointee, &secondValue.pointee)
  }

  /// Changes the value stored for `key`, read as a `Value`, in place: `modify(_:_:)` by key, for
  /// `DataEffects`' local states.
  ///
  /// - Throws: `StateError.unknownKey` if the state lacks `key`, `StateError.typeMismatch` if
  ///   the value is not a `Value`, and whatever `body` throws.
  /// - Complexity: O(log₃₂ *n*) plus `body`.
  @inlinable @inline(__always)
  package mutating func modify<Value: Sendable, Result>(
    _ key: StateKey, as type: Value.Type, _ body: (inout Value) throws -> Result
  ) throws -> Result {
    try modify(StateEntry<Value>(key: key), body)
  }

  /// The state's keys, without its values.
  package var keySet: StateKeySet { StateKeySet(keyTable: keyTable) }
}
