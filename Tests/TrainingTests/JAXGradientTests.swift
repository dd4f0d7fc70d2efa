import ExplicitState
import Foundation
import RandomKeys
import TensorLayers
import TestSupport
import Testing
import Training

/// `Golden/inox_mlp_grad.json`, which `Scripts/fixtures/make_inox_mlp_grad.py` writes with
/// Inox 0.8.0, JAX and optax 0.2.8.
struct InoxGradientGolden: Decodable {
  let x_shape: [Int]
  let x_bits: [UInt32]
  let labels: [Int]
  let loss: Float
  let gradients: [String: [Float]]
  let state: [String: [Float]]
  let adam_learning_rate: Double
  let adam_losses: [Float]

  static let data: Data? = Bundle.module.url(forResource: "inox_mlp_grad", withExtension: "json").flatMap { try? Data(contentsOf: $0) }

  static func load() throws -> InoxGradientGolden {
    try JSONDecoder().decode(InoxGradientGolden.self, from: try #require(data))
  }

  var x: Tensor { get throws { try Tensor(shape: x_shape, scalars: x_bits.map(Float.init(bitPattern:))) } }
}

/// FNV-1a over the bytes: the golden file's fingerprint.
func fingerprint(_ data: Data) -> UInt64 {
  data.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
}

/// Whether `actual` is within `tolerance` of `expected`, relative to the larger of `|expected|`
/// and `scale` (the largest magnitude of its tensor, so that elements near zero compare
/// against the tensor's size, not their own).
func isClose(_ actual: Float, _ expected: Float, tolerance: Float, scale: Float) -> Bool {
  abs(actual - expected) <= tolerance * max(abs(expected), scale)
}

@Suite("Gradients: the Inox MLP's loss, gradients and new state are JAX's")
struct JAXGradientTests {
  /// The golden file as it was written: a changed digit changes the fingerprint, so no edit
  /// to it passes unnoticed within the tolerance.
  @Test func theGoldenFileIsTheOneTheScriptWrote() throws {
    let data = try #require(InoxGradientGolden.data)
    #expect(fingerprint(data) == 0x28d3_eb35_afa7_8fb1)
  }

  @Test func lossGradientsAndStateMatchJAXValueAndGrad() throws {
    let golden = try InoxGradientGolden.load()
    let (model, state) = try exportState(InoxMLP(key: RandomKey(seed: 0)))
    let x = try golden.x
    let (loss, gradient, newState) = try valueWithGradient(at: model, state) { model, state in
      model.loss(x, golden.labels, state)
    }
    #expect(isClose(loss, golden.loss, tolerance: 1e-5, scale: 0))
    #expect(Set(gradient.keys.map(\.path)) == Set(golden.gradients.keys))
    var worst: Float = 0
    for (name, expected) in golden.gradients {
      let actual = try gradient.value(for: StateKey(parsing: name), as: Tensor.self).scalars
      let scale = expected.map(abs).max() ?? 0
      #expect(actual.count == expected.count, "\(name)")
      for (a, e) in zip(actual, expected) {
        worst = max(worst, abs(a - e) / max(abs(e), scale))
        #expect(isClose(a, e, tolerance: 1e-5, scale: scale), "\(name): \(a) against \(e)")
      }
    }
    print("largest relative gradient difference: \(worst)")
    for (name, expected) in golden.state {
      let actual = try newStateValue(newState, name)
      let scale = expected.map(abs).max() ?? 0
      #expect(actual.count == expected.count, "\(name)")
      for (a, e) in zip(actual, expected) { #expect(isClose(a, e, tolerance: 1e-5, scale: scale), "\(name): \(a) against \(e)") }
    }
  }

  /// The elements of the state leaf `name` names: an entry's path, or a `Statistics` entry's
  /// path followed by `.mean` or `.var`.
  func newStateValue(_ state: State, _ name: String) throws -> [Float] {
    if name.hasSuffix(".mean") || name.hasSuffix(".var") {
      let entry = String(name[..<name.lastIndex(of: ".")!])
      let statistics = try state.value(for: StateKey(parsing: entry), as: BatchNorm.Statistics.self)
      return name.hasSuffix(".mean") ? statistics.mean.scalars : statistics.variance.scalars
    }
    return try state.value(for: StateKey(parsing: name), as: Tensor.self).scalars
  }

  @Test func twentyAdamStepsFollowInoxAndOptax() throws {
    let golden = try InoxGradientGolden.load()
    var (model, state) = try exportState(InoxMLP(key: RandomKey(seed: 0)))
    let x = try golden.x
    let adam = try Adam(learningRate: golden.adam_learning_rate)
    var optimizerState = try adam.makeState(for: model)
    var losses: [Float] = []
    for _ in golden.adam_losses {
      let (loss, gradient, newState) = try valueWithGradient(at: model, state) { model, state in
        model.loss(x, golden.labels, state)
      }
      losses.append(loss)
      state = newState
      (model, optimizerState) = try adam.step(model, gradients: gradient, state: optimizerState)
    }
    for (step, (actual, expected)) in zip(losses, golden.adam_losses).enumerated() {
      #expect(isClose(actual, expected, tolerance: 1e-4, scale: 0), "step \(step): \(actual) against \(expected)")
    }
    print("losses: \(losses.first ?? 0) ... \(losses.last ?? 0); JAX: \(golden.adam_losses.last ?? 0)")
  }
}
