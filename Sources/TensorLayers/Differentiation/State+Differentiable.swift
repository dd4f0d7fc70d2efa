import ExplicitState
import _Differentiation

/// A `State` flows through differentiable code beside the values, and receives no gradient:
/// its tangent is empty.
///
/// Swift's differentiation asks every value that a differentiable call uses to be
/// differentiable. A state is one, with nothing to differentiate: a layer that only updates
/// state, such as `Moments.forward(_:_:)`, can then be called inside a differentiable model
/// as any layer is.
extension State: Differentiable {
  /// The empty tangent of a state: states get no gradient.
  public struct TangentVector: Differentiable, AdditiveArithmetic, Sendable, Equatable {
    /// The empty tangent.
    public init() {}
    /// The empty tangent.
    public static var zero: Self { Self() }
    /// The empty tangent.
    public static func + (lhs: Self, rhs: Self) -> Self { Self() }
    /// The empty tangent.
    public static func - (lhs: Self, rhs: Self) -> Self { Self() }
    /// Its own tangent.
    public typealias TangentVector = Self
    /// Does nothing.
    public mutating func move(by offset: Self) {}
  }

  /// Does nothing: a state does not move along a gradient.
  public mutating func move(by offset: TangentVector) {}
}
