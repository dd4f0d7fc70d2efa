/// The home of one state value: a heap cell whose class records the value's type.
///
/// Values of every type live side by side in the trie as `AnyObject`s; a typed read compares
/// the object's class with `StateBox<Value>` (one metadata comparison) instead of casting an
/// existential. The value sits in the buffer's header and is reached through a pointer, so
/// reads and in-place writes pay no dynamic exclusivity check.
///
/// A box is never changed while it is shared: `StateValues` writes in place only into boxes
/// it holds the only reference to, and replaces shared ones.
@usableFromInline
final class StateBox<Value: Sendable>: ManagedBuffer<Value, UInt8> {
  /// A new box holding `value`.
  @inlinable
  static func make(_ value: Value) -> StateBox {
    unsafeDowncast(StateBox.create(minimumCapacity: 0) { _ in value }, to: StateBox.self)
  }

  /// The value.
  @inlinable
  var value: Value {
    get { withUnsafeMutablePointerToHeader { $0.pointee } }
    set { withUnsafeMutablePointerToHeader { $0.pointee = newValue } }
  }
}

/// What the slow paths (printing, untyped reads and updates) need of a box of any type.
@usableFromInline
protocol ErasedStateBox: AnyObject {
  /// The value, as an existential.
  var anyValue: any Sendable { get }
  /// The name of the value's type, for error messages.
  var valueTypeName: String { get }
  /// A new box of the same type holding `value`, or `nil` if `value` has another type.
  func replacingValue(with value: any Sendable) -> AnyObject?
}

extension StateBox: ErasedStateBox {
  @usableFromInline var anyValue: any Sendable { value }

  @usableFromInline var valueTypeName: String { String(describing: Value.self) }

  @usableFromInline func replacingValue(with newValue: any Sendable) -> AnyObject? {
    guard let typed = newValue as? Value else { return nil }
    return StateBox.make(typed)
  }
}

/// Whether `object` is a box holding a `Value`: one metadata comparison.
@inlinable
func isStateBox<Value: Sendable>(_ object: AnyObject, of type: Value.Type) -> Bool {
  ObjectIdentifier(Swift.type(of: object)) == ObjectIdentifier(StateBox<Value>.self)
}

/// The box `object` as a `StateBox<Value>`, or `nil` if it holds another type.
@inlinable
func stateBox<Value: Sendable>(_ object: AnyObject, as type: Value.Type) -> StateBox<Value>? {
  guard isStateBox(object, of: Value.self) else { return nil }
  return unsafeDowncast(object, to: StateBox<Value>.self)
}

/// The box `object`, whatever its type, for the slow paths.
@usableFromInline
func erasedBox(_ object: AnyObject) -> (any ErasedStateBox)? {
  object as? any ErasedStateBox
}

extension ErasedStateBox? {
  /// The type name of a box, or a placeholder when the object is not a box.
  @usableFromInline var typeNameOrUnknown: String { self?.valueTypeName ?? "<unknown>" }
}
