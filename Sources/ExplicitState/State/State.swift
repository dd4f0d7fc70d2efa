/// An immutable mapping from state keys to values: the state of an exported model.
///
/// `exportState(_:)` makes a state; layers read it with `try state[entry]` and return new
/// states made by `updateState(_:_:)`. A state is a value: no update ever changes a state
/// that someone holds. Its keys are fixed at export, in traversal order.
///
/// ```swift
/// let (model, state) = try exportState(Moments(features: 16))
/// let first = try state[model.first]     // a Tensor
/// ```
///
/// Values may have any `Sendable` type, and one state may hold several types, each stored
/// together with the values of its type; a read names the type it expects (through a typed
/// `StateEntry`, or with `as:`) and throws when the stored value has another.
///
/// A state copies on write. Under the natural call pattern, where the old state is not used
/// again and layers take their state as `consuming`, an update writes in place in O(1);
/// when the old state is kept, an update copies O(log n) of it, never all of it.
public struct State: Sendable {
  @usableFromInline let keyTable: StorageKeyTable
  @usableFromInline var values: StorageTrie

  @inlinable
  init(keyTable: StorageKeyTable, values: StorageTrie) {
    self.keyTable = keyTable
    self.values = values
  }

  /// The empty state: what exporting a tree without entries returns.
  public init() {
    self.init(keyTable: .empty, values: .empty)
  }

  /// The number of entries.
  public var count: Int { values.count }

  /// Whether the state has no entries.
  public var isEmpty: Bool { values.count == 0 }

  /// The keys, in traversal order of the export that made the state.
  public var keys: [StateKey] { keyTable.keys }

  /// Whether the state has an entry for `key`.
  ///
  /// - Complexity: O(1).
  public func contains(_ key: StateKey) -> Bool {
    keyTable.slot(of: key) != nil
  }

  /// The value of an exported entry.
  ///
  /// ```swift
  /// let first = try state[self.first]
  /// ```
  ///
  /// - Throws: `StateError.unexportedEntry` if the entry still holds its value,
  ///   `StateError.missingKey` if the state lacks its key, and `StateError.typeMismatch` if
  ///   the stored value is not a `Value`.
  /// - Complexity: O(log₃₂ *n*), an array access per level; no hashing for a key exported
  ///   with this state.
  @inlinable
  public subscript<Value: Sendable>(entry: StateEntry<Value>) -> Value {
    get throws(StateError) {
      guard let key = entry.exportedKey else {
        throw .unexportedEntry(valueType: String(describing: Value.self))
      }
      return try value(for: key, as: Value.self)
    }
  }

  /// The value stored for `key`, read as a `Value`.
  ///
  /// - Throws: `StateError.missingKey` if the state lacks `key`, and
  ///   `StateError.typeMismatch` if the stored value is not a `Value`.
  /// - Complexity: O(log₃₂ *n*).
  @inlinable
  public func value<Value: Sendable>(
    for key: StateKey, as type: Value.Type = Value.self
  ) throws(StateError) -> Value {
    guard let slot = keyTable.slot(of: key) else { throw .missingKey(key, entryCount: count) }
    guard values.holds(Value.self, at: slot) else {
      throw .typeMismatch(key, expected: String(describing: Value.self), found: values.valueTypeName(at: slot))
    }
    return values.value(at: slot, as: Value.self)
  }

  /// The value stored for `key`, whatever its type.
  ///
  /// - Throws: `StateError.missingKey` if the state lacks `key`.
  /// - Complexity: O(log₃₂ *n*).
  public func anyValue(for key: StateKey) throws(StateError) -> any Sendable {
    guard let slot = keyTable.slot(of: key), let value = values.anyValue(at: slot) else {
      throw .missingKey(key, entryCount: count)
    }
    return value
  }

  /// The name of the type of the value stored for `key`, or `nil` if the state lacks `key`.
  package func valueTypeName(for key: StateKey) -> String? {
    guard let slot = keyTable.slot(of: key) else { return nil }
    return values.valueTypeName(at: slot)
  }
}

extension State {
  /// The slot of an exported entry, whatever its stored value.
  @inlinable
  func slot<Value: Sendable>(of entry: StateEntry<Value>) throws(StateError) -> Int {
    guard let key = entry.exportedKey else {
      throw .unexportedEntry(valueType: String(describing: Value.self))
    }
    guard let slot = keyTable.slot(of: key) else { throw .unknownKey(key, entryCount: count) }
    return slot
  }

  /// The error for writing a `Value` to `slot`, which holds another type.
  ///
  /// It names the key by the key table's copy, which spells the same path as the caller's.
  // So callers need not keep their entry alive until the check: that saved a retain per access.
  @usableFromInline
  func typeMismatch<Value: Sendable>(at slot: Int, writing type: Value.Type) -> StateError {
    .typeMismatch(
      keyTable.keys[slot], expected: values.valueTypeName(at: slot),
      found: String(describing: Value.self))
  }
}
