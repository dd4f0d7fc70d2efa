import ExplicitState
import RandomKeys
import TensorLayers
import TestSupport
import Testing
import _Differentiation

/// Checks reverse-mode derivatives against central finite differences.
///
/// Each case projects the operation's output onto a random tensor `w`, so that the loss
/// `Σ f(x) · w` depends on every output element, and compares each element of the gradient
/// with `(L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h`, with `h = 1e-2`, within
/// `2e-3 · max(1, |numeric|)`: the finite difference's own error in `Float` (truncation
/// O(h²), rounding O(ε·|L|/h)) is about 1e-4 for these sizes.
struct FiniteDifferences {
  var generator: SplitMix64
  static let step: Float = 1e-2
  static let tolerance: Float = 2e-3

  init(seed: UInt64) { generator = SplitMix64(seed: seed) }

  mutating func tensor(_ shape: [Int], in range: ClosedRange<Float> = -2...2, awayFromZero: Bool = false) -> Tensor {
    let count = shape.reduce(1, *)
    var scalars: [Float] = []
    for _ in 0..<count {
      var value = Float.random(in: range, using: &generator)
      if awayFromZero, abs(value) < 0.1 { value = value < 0 ? -0.1 - value : 0.1 + value }
      scalars.append(value)
    }
    return try! Tensor(shape: shape, scalars: scalars)
  }

  mutating func shape(rank: ClosedRange<Int> = 1...3, dimensions: ClosedRange<Int> = 1...4) -> [Int] {
    (0..<Int.random(in: rank, using: &generator)).map { _ in Int.random(in: dimensions, using: &generator) }
  }

  /// A shape that broadcasts against `shape`: itself, a suffix, some dimensions set to 1, or
  /// a scalar.
  mutating func broadcastable(to shape: [Int]) -> [Int] {
    switch Int.random(in: 0..<4, using: &generator) {
    case 0: return shape
    case 1: return Array(shape.suffix(Int.random(in: 0...shape.count, using: &generator)))
    case 2: return shape.map { Bool.random(using: &generator) ? 1 : $0 }
    default: return []
    }
  }

  /// The largest disagreement between the gradient of `Σ f(x) · w` and its finite differences.
  mutating func check(
    _ name: String, at x: Tensor, _ f: @escaping @differentiable(reverse) (Tensor) -> Tensor,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let w = tensor(f(x).shape)
    let loss: @differentiable(reverse) (Tensor) -> Float = { f($0).multiplied(by: w).sum() }
    let analytic = gradient(at: x, of: loss).tensor?.scalars ?? Array(repeating: 0, count: x.count)
    for i in 0..<x.count {
      var plus = x.scalars
      var minus = x.scalars
      plus[i] += Self.step
      minus[i] -= Self.step
      let numeric =
        (loss(try! Tensor(shape: x.shape, scalars: plus)) - loss(try! Tensor(shape: x.shape, scalars: minus))) / (2 * Self.step)
      #expect(
        abs(analytic[i] - numeric) <= Self.tolerance * max(1, abs(numeric)),
        "\(name) at \(x.shape), element \(i): \(analytic[i]) against \(numeric)", sourceLocation: sourceLocation)
    }
  }
}

@Suite("Derivatives: every differentiable operation agrees with central finite differences")
struct DerivativeTests {
  @Test(arguments: 0..<25) func broadcastingArithmetic(seed: Int) {
    var fd = FiniteDifferences(seed: UInt64(seed))
    let shape = fd.shape()
    let a = fd.tensor(shape)
    let b = fd.tensor(fd.broadcastable(to: shape))
    let divisor = fd.tensor(b.shape, in: 0.5...2)
    fd.check("adding lhs", at: a) { $0.adding(b) }
    fd.check("adding rhs", at: b) { a.adding($0) }
    fd.check("subtracting lhs", at: a) { $0.subtracting(b) }
    fd.check("subtracting rhs", at: b) { a.subtracting($0) }
    fd.check("multiplied lhs", at: a) { $0.multiplied(by: b) }
    fd.check("multiplied rhs", at: b) { a.multiplied(by: $0) }
    fd.check("divided lhs", at: a) { $0.divided(by: divisor) }
    fd.check("divided rhs", at: divisor) { a.divided(by: $0) }
    // The reverse order broadcasts the other way.
    fd.check("adding, broadcast on the left", at: b) { $0.adding(a) }
    fd.check("multiplied, broadcast on the left", at: b) { $0.multiplied(by: a) }
  }

  @Test(arguments: 0..<25) func scalarArithmetic(seed: Int) {
    var fd = FiniteDifferences(seed: UInt64(seed))
    let x = fd.tensor(fd.shape())
    let s = Float.random(in: 0.5...2, using: &fd.generator)
    fd.check("x + s", at: x) { $0 + s }
    fd.check("s + x", at: x) { s + $0 }
    fd.check("x - s", at: x) { $0 - s }
    fd.check("s - x", at: x) { s - $0 }
    fd.check("x * s", at: x) { $0 * s }
    fd.check("s * x", at: x) { s * $0 }
    fd.check("x / s", at: x) { $0 / s }
    fd.check("-x", at: x) { -$0 }
    // With respect to the scalar: d/ds Σ (x · s) · w.
    let w = fd.tensor(x.shape)
    let analytic = gradient(at: s) { s in (x * s).multiplied(by: w).sum() }
    let numeric = ((x * (s + 1e-2)).multiplied(by: w).sum() - (x * (s - 1e-2)).multiplied(by: w).sum()) / 2e-2
    #expect(abs(analytic - numeric) <= FiniteDifferences.tolerance * max(1, abs(numeric)))
  }

  @Test(arguments: 0..<25) func elementwiseFunctions(seed: Int) {
    var fd = FiniteDifferences(seed: UInt64(seed))
    let shape = fd.shape()
    let x = fd.tensor(shape, awayFromZero: true)
    let positive = fd.tensor(shape, in: 0.5...3)
    fd.check("relu", at: x) { relu($0) }
    fd.check("tanh", at: x) { tanh($0) }
    fd.check("sigmoid", at: x) { sigmoid($0) }
    fd.check("squared", at: x) { $0.squared() }
    fd.check("exp", at: x) { $0.exp() }
    fd.check("squareRoot", at: positive) { $0.squareRoot() }
    fd.check("log", at: positive) { $0.log() }
  }

  @Test(arguments: 0..<25) func reductionsAndShapes(seed: Int) {
    var fd = FiniteDifferences(seed: UInt64(seed))
    let shape = fd.shape(rank: 1...3)
    let x = fd.tensor(shape)
    let axis = Int.random(in: 0..<shape.count, using: &fd.generator)
    fd.check("sum()", at: x) { Tensor($0.sum()) }
    fd.check("mean()", at: x) { Tensor($0.mean()) }
    fd.check("sum(along: \(axis))", at: x) { $0.sum(along: axis) }
    fd.check("mean(along: \(axis))", at: x) { $0.mean(along: axis) }
    fd.check("variance(along: \(axis))", at: x) { $0.variance(along: axis) }
    fd.check("reshaped(as: [-1])", at: x) { $0.reshaped(as: [-1]) }
    let matrix = fd.tensor(fd.shape(rank: 2...2))
    fd.check("transposed()", at: matrix) { $0.transposed() }
  }

  @Test(arguments: 0..<25) func matrixProduct(seed: Int) {
    var fd = FiniteDifferences(seed: UInt64(seed))
    let (m, k, n) = (Int.random(in: 1...9, using: &fd.generator), Int.random(in: 1...9, using: &fd.generator), Int.random(in: 1...17, using: &fd.generator))
    let lhsShape = Bool.random(using: &fd.generator) ? [m, k] : [k]
    let rhsShape = Bool.random(using: &fd.generator) ? [k, n] : [k]
    let a = fd.tensor(lhsShape)
    let b = fd.tensor(rhsShape)
    fd.check("matrixProduct lhs \(lhsShape) @ \(rhsShape)", at: a) { $0.matrixProduct(with: b) }
    fd.check("matrixProduct rhs \(lhsShape) @ \(rhsShape)", at: b) { a.matrixProduct(with: $0) }
  }

  @Test(arguments: 0..<25) func softmaxAndCrossEntropy(seed: Int) {
    var fd = FiniteDifferences(seed: UInt64(seed))
    let (batch, classes) = (Int.random(in: 1...6, using: &fd.generator), Int.random(in: 1...7, using: &fd.generator))
    let logits = fd.tensor([batch, classes], in: -4...4)
    let labels = (0..<batch).map { _ in Int.random(in: 0..<classes, using: &fd.generator) }
    fd.check("logSoftmax", at: logits) { logSoftmax($0) }
    fd.check("softmaxCrossEntropy", at: logits) { softmaxCrossEntropy(logits: $0, labels: labels) }
  }

  @Test(arguments: 0..<25) func layers(seed: Int) throws {
    var fd = FiniteDifferences(seed: UInt64(seed))
    let (batch, inFeatures, outFeatures) = (Int.random(in: 2...5, using: &fd.generator), Int.random(in: 1...6, using: &fd.generator), Int.random(in: 1...6, using: &fd.generator))
    let x = fd.tensor([batch, inFeatures])
    let linear = try Linear(weight: fd.tensor([inFeatures, outFeatures]), bias: fd.tensor([outFeatures]))
    fd.check("Linear, input", at: x) { linear.forward($0) }
    // With respect to the layer: the weight's gradient is xᵀ · w and the bias's Σ w, which
    // the matrix product's and the sum's own checks above cover.
    let w = fd.tensor([batch, outFeatures])
    let tangent = gradient(at: linear) { $0.forward(x).multiplied(by: w).sum() }
    #expect(tangent.weight.tensor?.isApproximatelyEqual(to: try matmul(x.transposed(), w), tolerance: 1e-4) == true)
    #expect(tangent.bias.value?.tensor?.isApproximatelyEqual(to: try w.sum(alongAxis: 0), tolerance: 1e-4) == true)
    // And each parameter element against its central difference.
    let loss = { (layer: Linear) in layer.forward(x).multiplied(by: w).sum() }
    for (name, parameter, analytic) in [
      ("weight", linear.weight, tangent.weight.tensor), ("bias", try #require(linear.bias), tangent.bias.value?.tensor),
    ] {
      let analytic = try #require(analytic).scalars
      for i in 0..<parameter.count {
        var (plus, minus) = (parameter.scalars, parameter.scalars)
        plus[i] += FiniteDifferences.step
        minus[i] -= FiniteDifferences.step
        func layer(_ values: [Float]) throws -> Linear {
          let changed = try Tensor(shape: parameter.shape, scalars: values)
          return try name == "weight" ? Linear(weight: changed, bias: linear.bias) : Linear(weight: linear.weight, bias: changed)
        }
        let numeric = (loss(try layer(plus)) - loss(try layer(minus))) / (2 * FiniteDifferences.step)
        #expect(abs(analytic[i] - numeric) <= FiniteDifferences.tolerance * max(1, abs(numeric)), "Linear.\(name)[\(i)]")
      }
    }

    var norm = try BatchNorm(channels: inFeatures)
    let (exported, state) = try exportState(norm)
    fd.check("BatchNorm in training, input", at: x) { exported.forward($0, state).value }
    norm.isTraining = false
    let (inference, inferenceState) = try exportState(norm)
    fd.check("BatchNorm in inference, input", at: x) { inference.forward($0, inferenceState).value }

    let dropout = try Dropout(rate: 0.3)
    let key = RandomKey(seed: seed)
    fd.check("Dropout", at: x) { dropout.forward($0, key: key) }
  }
}
