import ExplicitState
import _Differentiation

/// A differentiable value and the state that computing it produced: the result of a
/// differentiable layer, `(y, state)` in Inox.
///
/// Swift differentiates functions whose results are differentiable; a tuple is not.
/// `Stateful` carries the new state beside the value, and its tangent is the value's alone:
/// state gets no gradient.
///
/// ```swift
/// let output = norm.forward(x, state)
/// let (y, newState) = output.unpacked
/// ```
public struct Stateful<Value: Differentiable>: Differentiable {
  /// The differentiable result.
  @differentiable(reverse)
  public var value: Value {
    get { storedValue }
    set { storedValue = newValue }
  }
  @noDerivative @usableFromInline var storedValue: Value
  /// The state after the call; it receives no gradient.
  @noDerivative public var state: State

  /// Pairs `value` with `state`.
  @differentiable(reverse)
  public init(_ value: Value, state: State) {
    self.storedValue = value
    self.state = state
  }

  /// The value and the state as a tuple, to destructure: `let (y, state) = output.unpacked`.
  public var unpacked: (Value, State) { (value, state) }

  /// The tangent of the value: the state has none.
  public typealias TangentVector = Value.TangentVector

  /// Moves the value by `offset`.
  public mutating func move(by offset: Value.TangentVector) { storedValue.move(by: offset) }

  @derivative(of: value)
  @usableFromInline
  func _vjpValue() -> (value: Value, pullback: (Value.TangentVector) -> Value.TangentVector) {
    (storedValue, { $0 })
  }

  @derivative(of: init(_:state:))
  @usableFromInline
  static func _vjpInit(
    _ value: Value, state: State
  ) -> (value: Self, pullback: (Value.TangentVector) -> (Value.TangentVector, State.TangentVector)) {
    (Self(value, state: state), { ($0, .zero) })
  }
}

extension Stateful: Sendable where Value: Sendable {}
