import ExplicitState
import TensorLayers
import StateKeysSupport

/// Stochastic gradient descent, with momentum and Nesterov's variant: optax's `sgd`.
///
/// Without momentum a step is `parameter - learningRate · gradient`, and the state is empty.
/// With momentum `m`, the state holds a trace per parameter, keyed by the parameter's path:
/// `trace = gradient + m · trace`, and the step is `parameter - learningRate · trace`, or with
/// `nesterov`, `parameter - learningRate · (gradient + m · trace)`. The arithmetic is optax's
/// compiled by XLA, which fuses each product and sum into one rounding: 10 steps give optax's
/// parameters bit for bit.
public struct SGD: Optimizer, Equatable {
  /// The step size.
  public let learningRate: Double
  /// The decay of the trace, or `nil` for plain gradient descent.
  public let momentum: Double?
  /// Whether the step looks ahead along the trace.
  public let nesterov: Bool

  /// Creates the optimizer.
  ///
  /// - Throws: `TrainingError.invalidHyperparameter` for a negative or infinite learning rate,
  ///   a momentum outside `0..<1`, or `nesterov` without momentum.
  public init(learningRate: Double, momentum: Double? = nil, nesterov: Bool = false) throws(TrainingError) {
    try checkNonNegative("learningRate", learningRate)
    if let momentum { try checkDecay("momentum", momentum) }
    guard !nesterov || momentum != nil else {
      throw .invalidHyperparameter(name: "nesterov", value: 1, expected: "a momentum to look ahead along")
    }
    self.learningRate = learningRate
    self.momentum = momentum
    self.nesterov = nesterov
  }

  /// An empty state without momentum; with it, a trace of zeros per parameter.
  ///
  /// - Throws: `TrainingError.unsupportedValue` for a parameter that is not a `Tensor`.
  /// - Complexity: O(*n*) in the number of parameter elements.
  public func makeState(for parameters: State) throws(TrainingError) -> State {
    var builder = StateBuilder()
    if momentum != nil {
      for key in parameters.keys {
        let parameter = try tensor(at: key, in: parameters, role: "a Tensor parameter")
        builder.append(try zeros(like: parameter, at: key), for: key)
      }
    }
    return try buildState(builder)
  }

  /// One step of gradient descent.
  ///
  /// - Throws: `TrainingError` when the gradients' keys or shapes are not the parameters', or
  ///   `state` lacks a parameter's trace.
  /// - Complexity: O(*n*) in the number of parameter elements.
  public func update(_ parameters: State, gradients: State, state: State) throws(TrainingError) -> (parameters: State, state: State) {
    let step = float32(-learningRate)
    var newParameters: [StateKey: any Sendable] = [:]
    var newState: [StateKey: any Sendable] = [:]
    for (key, parameter, gradient) in try pairs(parameters, gradients) {
      guard let momentum else {
        newParameters[key] = try map(key, parameter, gradient) { p, g in p.addingProduct(g, step) }
        continue
      }
      guard let old = try? state.value(for: key, as: Tensor.self), old.shape == parameter.shape else {
        throw .stateMismatch(key, expected: "trace of shape \(parameter.shape)")
      }
      let decay = float32(momentum)
      let trace = try map(key, gradient, old) { g, t in g.addingProduct(decay, t) }
      let direction = nesterov ? try map(key, gradient, trace) { g, t in g.addingProduct(decay, t) } : trace
      newParameters[key] = try map(key, parameter, direction) { p, u in p.addingProduct(u, step) }
      newState[key] = trace
    }
    return (try replaced(parameters, newParameters), try replaced(state, newState))
  }
}

/// A tensor of zeros of `tensor`'s shape.
func zeros(like tensor: Tensor, at key: StateKey) throws(TrainingError) -> Tensor {
  do {
    return try Tensor.zeros(tensor.shape)
  } catch {
    throw .unsupportedValue(key, expected: "a Tensor of a valid shape", found: "\(tensor.shape)")
  }
}

/// The tensor of `transform` applied to the elements of `a` and `b`, which have one shape.
func map(_ key: StateKey, _ a: Tensor, _ b: Tensor, _ transform: (Float, Float) -> Float) throws(TrainingError) -> Tensor {
  guard a.shape == b.shape else { throw .shapeMismatch(key, parameter: a.shape, gradient: b.shape) }
  let result = a.scalars.withUnsafeBufferPointer { x in
    b.scalars.withUnsafeBufferPointer { y in
      [Float](count: x.count) { out in
        for i in 0..<x.count { out[i] = transform(x[i], y[i]) }
      }
    }
  }
  do {
    return try Tensor(shape: a.shape, scalars: result)
  } catch {
    throw .shapeMismatch(key, parameter: a.shape, gradient: b.shape)
  }
}

/// `state` with the values of `mutation`, all of whose keys it holds.
func replaced(_ state: State, _ mutation: [StateKey: any Sendable]) throws(TrainingError) -> State {
  guard !mutation.isEmpty else { return state }
  do {
    return try updateState(state, mutation)
  } catch {
    throw .stateMismatch((error as? StateError).flatMap(firstKey) ?? .root, expected: "value of the type the optimizer made")
  }
}

/// The key a state error names, if it names one.
func firstKey(of error: StateError) -> StateKey? {
  switch error {
  case .missingKey(let key, _), .typeMismatch(let key, _, _), .unknownKey(let key, _), .duplicateKey(let key): return key
  default: return nil
  }
}

/// The state `builder` holds.
func buildState(_ builder: StateBuilder) throws(TrainingError) -> State {
  do {
    return try builder.build()
  } catch {
    throw .stateMismatch(firstKey(of: error) ?? .root, expected: "single value")
  }
}
