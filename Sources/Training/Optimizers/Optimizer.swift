import ExplicitState
import TensorLayers

/// A gradient-descent optimizer whose state is a `State` keyed by the parameters' paths.
///
/// Optimizers are values and update functionally, as optax's do: a step takes the parameters,
/// their gradients and the optimizer's state, and returns new parameters and a new state. The
/// state is a `State` keyed as the parameters are (`.l1.weight`), so it prints, compares and
/// saves to a checkpoint as any state does.
///
/// ```swift
/// let optimizer = try Adam(learningRate: 1e-3)
/// var optimizerState = try optimizer.makeState(for: model)
/// (model, optimizerState) = try optimizer.step(model, gradients: gradients, state: optimizerState)
/// ```
public protocol Optimizer: Sendable {
  /// The optimizer's state for `parameters` before the first step.
  ///
  /// - Throws: `TrainingError.unsupportedValue` for a parameter that is not a `Tensor`.
  func makeState(for parameters: State) throws(TrainingError) -> State

  /// One step: the parameters after applying `gradients`, and the new optimizer state.
  ///
  /// - Throws: `TrainingError` when the gradients' keys or shapes are not the parameters', or
  ///   `state` was not made for them.
  func update(_ parameters: State, gradients: State, state: State) throws(TrainingError) -> (parameters: State, state: State)
}

extension Optimizer {
  /// The optimizer's state for the parameters of `model` (see `exportParameters(_:)`).
  ///
  /// - Throws: `TrainingError.unsupportedValue` for a parameter that is not a `Tensor`, and
  ///   `StateError` if two parameters share a path.
  public func makeState<Model: StateVisitable>(for model: Model) throws -> State {
    try makeState(for: exportParameters(model))
  }

  /// One step on the parameters of `model`: the model with its new parameters, and the new
  /// optimizer state.
  ///
  /// - Throws: As `update(_:gradients:state:)`, and `StateError` if the model's parameters
  ///   share a path.
  /// - Complexity: O(*n*) in the number of parameter elements.
  public func step<Model: StateVisitable>(_ model: Model, gradients: State, state: State) throws -> (Model, State) {
    let (parameters, newState) = try update(exportParameters(model), gradients: gradients, state: state)
    return (try importParameters(model, parameters), newState)
  }
}

/// The parameters' tensors with their gradients, checked: the same keys, tensors of the same
/// shapes.
func pairs(_ parameters: State, _ gradients: State) throws(TrainingError) -> [(key: StateKey, parameter: Tensor, gradient: Tensor)] {
  let missing = parameters.keys.filter { !gradients.contains($0) }
  let extra = gradients.keys.filter { !parameters.contains($0) }
  guard missing.isEmpty, extra.isEmpty else { throw .gradientMismatch(missing: missing, extra: extra) }
  var result: [(key: StateKey, parameter: Tensor, gradient: Tensor)] = []
  result.reserveCapacity(parameters.count)
  for key in parameters.keys {
    let parameter = try tensor(at: key, in: parameters, role: "a Tensor parameter")
    let gradient = try tensor(at: key, in: gradients, role: "a Tensor gradient")
    guard parameter.shape == gradient.shape else {
      throw .shapeMismatch(key, parameter: parameter.shape, gradient: gradient.shape)
    }
    result.append((key, parameter, gradient))
  }
  return result
}

/// The tensor at `key`.
func tensor(at key: StateKey, in state: State, role: String) throws(TrainingError) -> Tensor {
  guard let value = try? state.value(for: key, as: Tensor.self) else {
    throw .unsupportedValue(key, expected: role, found: state.valueTypeName(for: key) ?? "nothing")
  }
  return value
}

/// `value` as the `Float` that JAX makes of a Python float it multiplies with a `float32` array.
func float32(_ value: Double) -> Float { Float(value) }

/// Checks that `value` is finite and not negative.
func checkNonNegative(_ name: String, _ value: Double) throws(TrainingError) {
  guard value.isFinite, value >= 0 else { throw .invalidHyperparameter(name: name, value: value, expected: "a finite value of 0 or more") }
}

/// Checks that `value` is in `0..<1`.
func checkDecay(_ name: String, _ value: Double) throws(TrainingError) {
  guard value >= 0, value < 1 else { throw .invalidHyperparameter(name: name, value: value, expected: "a value in 0..<1") }
}
