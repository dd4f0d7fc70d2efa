import ExplicitState
import Foundation
import TensorLayers
import Testing
import Training

/// `Golden/optax_steps.json`, which `Scripts/fixtures/make_optax_steps.py` writes with optax
/// 0.2.8: parameters, 10 steps' gradients, and each optimizer's parameters after every step,
/// as float32 bit patterns.
struct OptaxGolden: Decodable {
  struct Run: Decodable {
    let parameters: [[String: [UInt32]]]
  }

  let shapes: [String: [Int]]
  let parameters: [String: [UInt32]]
  let gradients: [[String: [UInt32]]]
  let runs: [String: Run]

  static let file: OptaxGolden = {
    guard let url = Bundle.module.url(forResource: "optax_steps", withExtension: "json"),
      let data = try? Data(contentsOf: url), let golden = try? JSONDecoder().decode(OptaxGolden.self, from: data)
    else { return OptaxGolden(shapes: [:], parameters: [:], gradients: [], runs: [:]) }
    return golden
  }()

  /// The state of tensors `bits` names, keyed by their paths.
  func state(_ bits: [String: [UInt32]]) throws -> State {
    var builder = StateBuilder()
    for name in bits.keys.sorted() {
      let shape = try #require(shapes[name])
      builder.append(try Tensor(shape: shape, scalars: (bits[name] ?? []).map(Float.init(bitPattern:))), for: StateKey(parsing: name))
    }
    return try builder.build()
  }
}

/// The distance in units in the last place between two floats of one sign.
func ulps(_ a: Float, _ b: Float) -> Int {
  guard a.sign == b.sign else { return a == b ? 0 : Int.max }
  return abs(Int(a.bitPattern) - Int(b.bitPattern))
}

/// The largest distance between the tensors of two states with the same keys.
func largestDistance(_ a: State, _ b: State) throws -> Int {
  var largest = 0
  for key in a.keys {
    let x = try a.value(for: key, as: Tensor.self).scalars
    let y = try b.value(for: key, as: Tensor.self).scalars
    #expect(x.count == y.count)
    largest = max(largest, zip(x, y).map { ulps($0, $1) }.max() ?? 0)
  }
  return largest
}

@Suite("Optimizers: optax's sgd, sgd with momentum and Nesterov, adam and adamw, step for step")
struct OptaxGoldenTests {
  static let optimizers: [(String, any Optimizer)] = [
    ("sgd", try! SGD(learningRate: 0.1)),
    ("sgd_momentum", try! SGD(learningRate: 0.1, momentum: 0.9)),
    ("sgd_nesterov", try! SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)),
    ("adam", try! Adam(learningRate: 1e-3)),
    ("adamw", try! Adam(learningRate: 1e-2, weightDecay: 0.1)),
  ]

  /// Ten steps on fixed gradients give optax's parameters at every step: bit for bit for SGD
  /// and Adam, and within 2 units in the last place for AdamW, whose compiled step XLA fuses
  /// differently.
  @Test(arguments: optimizers.map(\.0))
  func tenStepsFollowOptax(name: String) throws {
    let golden = OptaxGolden.file
    let run = try #require(golden.runs[name])
    let optimizer = try #require(Self.optimizers.first { $0.0 == name }?.1)
    var parameters = try golden.state(golden.parameters)
    var state = try optimizer.makeState(for: parameters)
    var distances: [Int] = []
    for (gradients, expected) in zip(golden.gradients, run.parameters) {
      (parameters, state) = try optimizer.update(parameters, gradients: golden.state(gradients), state: state)
      distances.append(try largestDistance(parameters, golden.state(expected)))
    }
    #expect(distances.count == 10)
    let tolerance = name == "adamw" ? 2 : 0
    #expect(distances.allSatisfy { $0 <= tolerance }, "\(name): ulps per step \(distances)")
  }
}
