import ExplicitState
import TensorLayers
import _Differentiation

/// The loss, its gradient with respect to the model's parameters, and the new state: Swift's
/// counterpart of `jax.value_and_grad(loss, has_aux=True)` with the state as the auxiliary
/// output.
///
/// ```swift
/// let (loss, gradient, newState) = try valueWithGradient(at: model, state) { model, state in
///   let (logits, state) = model.forward(x, state).unpacked
///   return Stateful(softmaxCrossEntropy(logits: logits, labels: labels).mean(), state: state)
/// }
/// (model, optimizerState) = try optimizer.step(model, gradients: gradient, state: optimizerState)
/// ```
///
/// `loss` runs once, forward, then its pullback runs once. The gradient is a `State` keyed as
/// `exportParameters(_:)` keys the parameters (`.l1.weight`), ready for an `Optimizer`; the
/// model's state entries get no gradient. The differentiable operations inside `loss` defer
/// their errors (see `withDeferredErrors(_:)`): the first is thrown here after the forward pass,
/// before the pullback runs, and `state` is left as it was.
///
/// - Throws: The first `TensorError` or `StateError` deferred in `loss`;
///   `TrainingError.unsupportedValue` for a parameter that is not a `Tensor`; `StateError` if
///   two parameters share a path.
/// - Complexity: One forward and one backward pass of `loss`, and O(*n*) in the number of
///   parameter elements.
public func valueWithGradient<Model: Differentiable & StateVisitable>(
  at model: Model, _ state: State,
  of loss: @differentiable(reverse) (Model, @noDerivative State) -> Stateful<Float>
) throws -> (value: Float, gradient: State, state: State) {
  let (output, pullback) = try withDeferredErrors {
    valueWithPullback(at: model) { model in loss(model, state) }
  }
  let tangent = try withDeferredErrors { pullback(1) }
  return (output.value, try exportGradient(tangent, of: model), output.state)
}

/// A model's gradient as a `State` keyed by the paths of the parameters it belongs to, as
/// `exportParameters(_:)` keys them (`.l1.weight`).
///
/// Use it with Swift's own `gradient(at:of:)` or `valueWithPullback(at:of:)`; the model's
/// `TangentVector` has no paths of its own. A parameter the gradient has no component for
/// (the symbolic zero) gets a tensor of zeros.
///
/// - Throws: `TrainingError.unsupportedValue` for a parameter that is not a `Tensor`, and
///   `StateError` if two parameters share a path.
/// - Complexity: O(*n*) in the number of parameter elements.
public func exportGradient<Model: Differentiable & StateVisitable>(
  _ gradient: Model.TangentVector, of model: Model
) throws -> State {
  var zeroed = model
  var zeroer = ParameterZeroer()
  zeroer.visitNode(&zeroed)
  if let failure = zeroer.failure { throw failure }
  zeroed.move(by: gradient)
  return try exportParameters(zeroed)
}

/// Sets every `Tensor` parameter of a model to zeros of its shape, so that moving the model
/// by a gradient leaves the gradient in its parameters.
struct ParameterZeroer: StateVisitor {
  var components: [PathComponent] = []
  var failure: TrainingError?

  mutating func enter(_ component: PathComponent) { components.append(component) }
  mutating func exit() { components.removeLast() }
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {}

  mutating func visitParameter<Value: Sendable>(_ parameter: inout Value) {
    guard let tensor = parameter as? Tensor, let zeros = try? Tensor.zeros(tensor.shape), let typed = zeros as? Value else {
      if failure == nil {
        let key = (try? StateKey(components)) ?? .root
        failure = .unsupportedValue(key, expected: "a Tensor parameter", found: "\(Value.self)")
      }
      return
    }
    parameter = typed
  }
}
