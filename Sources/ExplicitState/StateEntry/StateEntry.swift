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
  // Exactly one of the two is set. Two optionals rather than an enum with a generic payload:
  // Swift copies such an enum through its generic value witness, which made copying a
  // module (as `for layer in layers` does) a fifth of a small layer's call.

  /// The key, once exported.
  @usableFromInline var exportedKey: StateKey?
  /// The initial value, until exported.
  @usableFromInline var initialValue: Value?

  /// Creates an entry holding its initial value.
  @inlinable
  public init(_ value: Value) {
    exportedKey = nil
    initialValue = value
  }

  /// Creates an exported entry, standing for the value stored under `key`.
  @inlinable
  public init(key: StateKey) {
    exportedKey = key
    initialValue = nil
  }

  /// The key of an exported entry, or `nil` if the entry still holds its value.
  @inlinable
  public var key: StateKey? { exportedKey }

  /// The value of an entry not yet exported, or `nil` if it has been.
  @inlinable
  public var value: Value? { initialValue }

  /// Whether `exportState(_:)` has replaced the value with a key.
  @inlinable
  package var isExported: Bool { key != nil }
}
