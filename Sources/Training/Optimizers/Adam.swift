#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import ExplicitState
import TensorLayers
import StateKeysSupport

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
      // One pass per parameter, each element computed as optax computes it, in its order.
      let count = parameter.count
      var mu: [Float] = []
      var nu: [Float] = []
      let updated = [Float](count: count) { updated in
        mu = [Float](count: count) { mu in
          nu = [Float](count: count) { nu in
            parameter.scalars.withUnsafeBufferPointer { p in
              gradient.scalars.withUnsafeBufferPointer { g in
                moments.mu.scalars.withUnsafeBufferPointer { m in
                  moments.nu.scalars.withUnsafeBufferPointer { v in
                    // Eight lanes at a time (the divisions and square roots would otherwise
                    // bound the loop), then the tail; each lane's arithmetic is the same.
                    var i = 0
                    while i &+ 8 <= count {
                      let (pv, gv) = (lanes(p, i), lanes(g, i))
                      let newMu = c1 * gv + d1 * lanes(m, i)
                      let newNu = c2 * (gv * gv) + d2 * lanes(v, i)
                      let direction = (newMu / correction1) / ((newNu / correction2).squareRoot() + eps)
                      let decayed = decay == 0 ? direction : direction + decay * pv
                      store(newMu, mu, i)
                      store(newNu, nu, i)
                      store(pv + decayed * rate, updated, i)
                      i &+= 8
                    }
                    while i < count {
                      let newMu = c1 * g[i] + d1 * m[i]
                      let newNu = c2 * (g[i] * g[i]) + d2 * v[i]
                      let direction = (newMu / correction1) / ((newNu / correction2).squareRoot() + eps)
                      let decayed = decay == 0 ? direction : direction + decay * p[i]
                      mu[i] = newMu
                      nu[i] = newNu
                      updated[i] = p[i] + decayed * rate
                      i &+= 1
                    }
                  }
                }
              }
            }
          }
        }
      }
      newParameters[key] = try tensor(parameter.shape, updated, at: key)
      newState[key] = AdamMoments(mu: try tensor(parameter.shape, mu, at: key), nu: try tensor(parameter.shape, nu, at: key))
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

/// A tensor of `shape`, whose count `scalars` has by construction.
func tensor(_ shape: [Int], _ scalars: [Float], at key: StateKey) throws(TrainingError) -> Tensor {
  do {
    return try Tensor(shape: shape, scalars: scalars)
  } catch {
    throw .unsupportedValue(key, expected: "a Tensor of a valid shape", found: "\(shape)")
  }
}

/// Eight floats of `buffer` from `index`.
@inline(__always)
func lanes(_ buffer: UnsafeBufferPointer<Float>, _ index: Int) -> SIMD8<Float> {
  assert(index >= 0 && index + 8 <= buffer.count, "lanes in bounds")
  return UnsafeRawPointer(buffer.baseAddress.unsafelyUnwrapped + index).loadUnaligned(as: SIMD8<Float>.self)
}

/// Stores eight floats into `buffer` from `index`.
@inline(__always)
func store(_ value: SIMD8<Float>, _ buffer: UnsafeMutableBufferPointer<Float>, _ index: Int) {
  assert(index >= 0 && index + 8 <= buffer.count, "lanes in bounds")
  UnsafeMutableRawPointer(buffer.baseAddress.unsafelyUnwrapped + index).storeBytes(of: value, as: SIMD8<Float>.self)
}
