/// The type-erased home of one state value.
///
/// Values of every type live in one array as references to boxes; the box's class says the
/// value's type, so a typed read is one metadata comparison instead of a dynamic cast.
@usableFromInline
class AnyStateBox: @unchecked Sendable {
  @usableFromInline init() {}

  /// The value, as an existential: for printing and untyped reads only.
  @usableFromInline var anyValue: any Sendable { () }

  /// The name of the value's type, for error messages.
  @usableFromInline var valueTypeName: String { "Void" }

  /// A new box of the same type holding `value`, or `nil` if `value` has another type.
  @usableFromInline func replacingValue(with value: any Sendable) -> AnyStateBox? { nil }
}

/// A box holding a value of one static type.
///
/// A box is never changed while it is shared: `StateValues` replaces shared boxes and writes
/// in place only into boxes it holds the only reference to.
@usableFromInline
final class StateBox<Value: Sendable>: AnyStateBox, @unchecked Sendable {
  @usableFromInline var value: Value

  @inlinable
  init(_ value: Value) {
    self.value = value
    super.init()
  }

  @usableFromInline override var anyValue: any Sendable { value }

  @usableFromInline override var valueTypeName: String { String(describing: Value.self) }

  @usableFromInline override func replacingValue(with newValue: any Sendable) -> AnyStateBox? {
    guard let typed = newValue as? Value else { return nil }
    return StateBox(typed)
  }
}

extension AnyStateBox {
  /// The box as a `StateBox<Value>`, or `nil` if it holds another type.
  @inlinable
  func typed<Value: Sendable>(as type: Value.Type) -> StateBox<Value>? {
    guard ObjectIdentifier(Swift.type(of: self)) == ObjectIdentifier(StateBox<Value>.self) else {
      return nil
    }
    return unsafeDowncast(self, to: StateBox<Value>.self)
  }
}
