import ExplicitState
import _Differentiation

/// A layer that training differentiates: `(x, state) → (y, state)` as Inox calls layers, with
/// a derivative with respect to the layer and `x`.
///
/// `Linear`, `ReLU` and `BatchNorm` conform, and so does `StochasticDropout` in
/// `DataEffects`; `Chain` composes two conforming layers into one. A model written as a struct
/// of layers needs no conformance: it calls their `forward` methods in its own.
public protocol DifferentiableLayer: Differentiable, StateVisitable {
  /// The output for `x` and the new state, differentiable with respect to the layer and `x`.
  ///
  /// Errors are deferred (see `withDeferredErrors(_:)`).
  @differentiable(reverse)
  func forward(_ x: Tensor, _ state: State) -> Stateful<Tensor>
}

extension Linear: DifferentiableLayer {
  /// `forward(x)`, with the state passed through.
  @differentiable(reverse)
  public func forward(_ x: Tensor, _ state: State) -> Stateful<Tensor> { Stateful(forward(x), state: state) }
}

extension ReLU: DifferentiableLayer {
  /// `relu(x)`, with the state passed through.
  @differentiable(reverse)
  public func forward(_ x: Tensor, _ state: State) -> Stateful<Tensor> { Stateful(relu(x), state: state) }
}

extension BatchNorm: DifferentiableLayer {}

/// Two differentiable layers, one after the other: the typed composition that training
/// differentiates.
///
/// ```swift
/// let block = Chain(try Linear(inFeatures: 64, outFeatures: 64, key: key), Chain(ReLU(), try BatchNorm(channels: 64)))
/// ```
///
/// Penzai's `Sequential` holds its layers type-erased, as `AnyLayer`s over any input type;
/// Swift's differentiation needs each layer's type, and its tangent's, when it compiles the
/// derivative, so the erased `Sequential` is not differentiable and `Chain` keeps the types.
/// Its children are named `.first` and `.second`.
public struct Chain<First: DifferentiableLayer, Second: DifferentiableLayer>: DifferentiableLayer {
  /// The layer that runs first.
  public var first: First
  /// The layer that runs on the first's output.
  public var second: Second

  /// Composes two layers.
  public init(_ first: First, _ second: Second) {
    self.first = first
    self.second = second
  }

  /// `second.forward` of `first.forward`'s output, with the state passed along.
  @differentiable(reverse)
  public func forward(_ x: Tensor, _ state: State) -> Stateful<Tensor> {
    let hidden = first.forward(x, state)
    return second.forward(hidden.value, hidden.state)
  }

  /// Visits `.first` and `.second`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("first", &first)
    visitor.visit("second", &second)
  }
}

extension Chain: Sendable where First: Sendable, Second: Sendable {}
extension Chain: Equatable where First: Equatable, Second: Equatable {}

/// `x + body(x)`: a residual connection that training differentiates, Penzai's `Residual` with
/// its body's type kept (see `Chain` for why the erased one is not differentiable).
///
/// ```swift
/// let block = ResidualBlock(Chain(try Linear(inFeatures: 64, outFeatures: 64, key: key), ReLU()))
/// ```
///
/// The body is named `.delta`, as Penzai names it. Its output must have the input's shape; a
/// mismatch is deferred (see `withDeferredErrors(_:)`).
public struct ResidualBlock<Body: DifferentiableLayer>: DifferentiableLayer {
  /// The layer whose output is added to the input.
  public var body: Body

  /// Wraps `body`.
  public init(_ body: Body) { self.body = body }

  /// `x + body(x)`, with the body's new state.
  @differentiable(reverse)
  public func forward(_ x: Tensor, _ state: State) -> Stateful<Tensor> {
    let delta = body.forward(x, state)
    return Stateful(x.adding(delta.value), state: delta.state)
  }

  /// Visits `.delta`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("delta", &body)
  }
}

extension ResidualBlock: Sendable where Body: Sendable {}
extension ResidualBlock: Equatable where Body: Equatable {}
