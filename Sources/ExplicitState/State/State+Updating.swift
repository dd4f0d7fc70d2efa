extension State {
  /// Sets the value of `key`, in place: the mutating form of `updateState(_:_:)`.
  ///
  /// - Throws: `StateError.unknownKey` if the state lacks `key`, and
  ///   `StateError.typeMismatch` if the stored value is not a `Value`.
  /// - Complexity: O(log₃₂ *n*); no copying when this state's storage is not shared.
  @inlinable
  public mutating func update<Value: Sendable>(_ key: StateKey, to value: Value) throws(StateError) {
    guard let slot = layout.slot(of: key) else { throw .unknownKey(key, entryCount: count) }
    let box = values.box(at: slot)
    guard stateBox(box, as: Value.self) != nil else {
      throw .typeMismatch(key, expected: erasedBox(box).typeNameOrUnknown, found: String(describing: Value.self))
    }
    values.setValue(value, at: slot)
  }

  /// The state's keys, without its values.
  public var keySet: StateKeySet { StateKeySet(layout: layout) }
}
