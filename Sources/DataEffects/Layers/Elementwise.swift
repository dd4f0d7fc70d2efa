import ExplicitState
import TensorLayers
import _Differentiation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Applies a named activation to each element: Penzai's `Elementwise`.
///
/// The function is named rather than stored as a closure, so models compare, print and hash
/// (handler IDs are digests of the model's structure).
public struct Elementwise: Layer, Equatable, Differentiable {
  /// A pointwise activation.
  public enum Activation: String, Sendable, CaseIterable {
    /// `max(x, 0)`.
    case relu
    /// The hyperbolic tangent.
    case tanh
    /// `1 / (1 + e^-x)`.
    case sigmoid
  }

  /// The activation applied.
  @noDerivative public var activation: Activation

  /// Creates the layer.
  public init(_ activation: Activation) {
    self.activation = activation
  }

  /// Applies the activation to each element of `input`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    switch activation {
    case .relu: return relu(input)
    case .tanh: return input.mapScalars { Foundationless.tanh($0) }
    case .sigmoid: return input.mapScalars { 1 / (1 + Foundationless.exp(-$0)) }
    }
  }

  /// Holds nothing to visit.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {}
}

extension Elementwise: CustomStringConvertible {
  /// `Elementwise(relu)`.
  public var description: String { "Elementwise(\(activation.rawValue))" }
}

/// The C library's functions, named apart from Swift's operators on tensors.
private enum Foundationless {
  static func tanh(_ x: Float) -> Float { tanhf(x) }
  static func exp(_ x: Float) -> Float { expf(x) }
}

extension Elementwise: DifferentiableLayer {
  /// The activation of `x`, differentiable, with the state passed through.
  @differentiable(reverse)
  public func forward(_ x: Tensor, _ state: State) -> Stateful<Tensor> {
    switch activation {
    case .relu: return Stateful(relu(x), state: state)
    case .tanh: return Stateful(TensorLayers.tanh(x), state: state)
    case .sigmoid: return Stateful(TensorLayers.sigmoid(x), state: state)
    }
  }
}
