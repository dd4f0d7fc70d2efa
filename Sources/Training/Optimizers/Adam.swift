#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import ExplicitState
import TensorLayers

/// Adam, and AdamW with a weight decay: optax's `adam` and `adamw`.
///
/// The state holds, per parameter and keyed by its path, the moments of its gradient
/// (`AdamMoments`: `mu` and `nu`), and the number of steps taken under the name `count`, as
/// optax's `ScaleByAdamState` does. A step updates the moments, corrects their bias, and moves
/// each parameter by `learningRate · (μ̂ / (√ν̂ + ε) + weightDecay · parameter)`. The arithmetic
/// is optax's, in `Float`, in the same order: 10 steps give optax's `adam` bit for bit, and its
/// `adamw` within 2 units in the last place.
public struct Adam: Optimizer, Equatable {
  /// The step size.
  public let learningRate: Double
  /// The decay of the first moment.
  public let beta1: Double
  /// The decay of the second moment.
  public let beta2: Double
  /// Added to the root of the second moment.
  public let epsilon: Double
  /// AdamW's decoupled weight decay; 0 for Adam.
  public let weightDecay: Double

  /// The key of the step count in the state.
  public static let countKey = StateKey(name: "count")

  /// Creates the optimizer; with a `weightDecay`, it is AdamW.
  ///
  /// - Throws: `TrainingError.invalidHyperparameter` for a negative or infinite learning rate,
  ///   epsilon or weight decay, or a decay outside `0..<1`.
  public init(
    learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0
  ) throws(TrainingError) {
    try checkNonNegative("learningRate", learningRate)
    try checkDecay("beta1", beta1)
    try checkDecay("beta2", beta2)
    try checkNonNegative("epsilon", epsilon)
    try checkNonNegative("weightDecay", weightDecay)
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  /// Moments of zeros for each parameter, and a count of 0.
  ///
  /// - Throws: `TrainingError.unsupportedValue` for a parameter that is not a `Tensor`.
  /// - Complexity: O(*n*) in the number of parameter elements.
  public func makeState(for parameters: State) throws(TrainingError) -> State {
    var builder = StateBuilder()
    for key in parameters.keys {
      let zero = try zeros(like: tensor(at: key, in: parameters, role: "a Tensor parameter"), at: key)
      builder.append(AdamMoments(mu: zero, nu: zero), for: key)
    }
    builder.append(Int32(0), for: Self.countKey)
    return try buildState(builder)
  }

  /// One step of Adam.
  ///
  /// - Throws: `TrainingError` when the gradients' keys or shapes are not the parameters', or
  ///   `state` lacks a parameter's moments or the count.
  /// - Complexity: O(*n*) in the number of parameter elements.
  public func update(_ parameters: State, gradients: State, state: State) throws(TrainingError) -> (parameters: State, state: State) {
    guard let count = try? state.value(for: Self.countKey, as: Int32.self) else {
      throw .stateMismatch(Self.countKey, expected: "step count")
    }
    let step = count &+ 1
    // JAX computes `1 - decay` in double precision before the product with a float32 array
    // rounds it; the bias corrections are float32 powers.
    let (c1, d1, c2, d2) = (float32(1 - beta1), float32(beta1), float32(1 - beta2), float32(beta2))
    let correction1 = 1 - powf(float32(beta1), Float(step))
    let correction2 = 1 - powf(float32(beta2), Float(step))
    let (eps, decay, rate) = (float32(epsilon), float32(weightDecay), float32(-learningRate))
    var newParameters: [StateKey: any Sendable] = [:]
    var newState: [StateKey: any Sendable] = [Self.countKey: step]
    for (key, parameter, gradient) in try pairs(parameters, gradients) {
      guard let moments = try? state.value(for: key, as: AdamMoments.self), moments.mu.shape == parameter.shape,
        moments.nu.shape == parameter.shape
      else {
        throw .stateMismatch(key, expected: "Adam moments of shape \(parameter.shape)")
      }
      let mu = try map(key, gradient, moments.mu) { g, m in c1 * g + d1 * m }
      let nu = try map(key, gradient, moments.nu) { g, v in c2 * (g * g) + d2 * v }
      let direction = try map(key, mu, nu) { m, v in (m / correction1) / ((v / correction2).squareRoot() + eps) }
      let decayed = decay == 0 ? direction : try map(key, direction, parameter) { u, p in u + decay * p }
      newParameters[key] = try map(key, parameter, decayed) { p, u in p + u * rate }
      newState[key] = AdamMoments(mu: mu, nu: nu)
    }
    return (try replaced(parameters, newParameters), try replaced(state, newState))
  }
}

/// Adam's moments of one parameter's gradient: optax's `mu` and `nu`.
///
/// A structured state value: a checkpoint stores it as two tensors, `.mu` and `.nu` after the
/// parameter's path.
public struct AdamMoments: Sendable, Equatable, StateVisitable, CustomStateSummaryConvertible {
  /// The running mean of the gradient.
  public var mu: Tensor
  /// The running mean of the gradient's square.
  public var nu: Tensor

  /// Creates the moments.
  public init(mu: Tensor, nu: Tensor) {
    self.mu = mu
    self.nu = nu
  }

  /// Visits `.mu` and `.nu` as parameters.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visitParameter("mu", &mu)
    visitor.visitParameter("nu", &nu)
  }

  /// `AdamMoments(mu: Float[3, 4], nu: Float[3, 4])`.
  public var stateSummary: String { "AdamMoments(mu: \(mu.stateSummary), nu: \(nu.stateSummary))" }
}
