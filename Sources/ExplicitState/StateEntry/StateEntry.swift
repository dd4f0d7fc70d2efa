/// A mutable value in a module, marked so that `exportState(_:)` can pull it out.
///
/// A module declares its state as `StateEntry` fields. Before export an entry holds its
/// initial value; `exportState(_:)` moves the value into the state it returns and leaves the
/// entry holding the value's `StateKey`, through which layers read and update the state:
///
/// ```swift
/// struct Moments: StateVisitable {
///   var first: StateEntry<Tensor>
///   var second: StateEntry<Tensor>
///   ...
/// }
/// ```
///
/// An entry is a leaf: `exportState(_:)` does not look inside its value, even when the value
/// holds entries of its own.
public struct StateEntry<Value: Sendable>: Sendable {
  @usableFromInline
  enum Storage: Sendable {
    case value(Value)
    case key(StateKey)
  }

  @usableFromInline var storage: Storage

  /// Creates an entry holding its initial value.
  @inlinable
  public init(_ value: Value) {
    storage = .value(value)
  }

  /// Creates an exported entry, standing for the value stored under `key`.
  @inlinable
  public init(key: StateKey) {
    storage = .key(key)
  }

  /// The key of an exported entry, or `nil` if the entry still holds its value.
  @inlinable
  public var key: StateKey? {
    if case .key(let key) = storage { return key }
    return nil
  }

  /// The value of an entry not yet exported, or `nil` if it has been.
  @inlinable
  public var value: Value? {
    if case .value(let value) = storage { return value }
    return nil
  }

  /// Whether `exportState(_:)` has replaced the value with a key.
  @inlinable
  public var isExported: Bool { key != nil }
}
