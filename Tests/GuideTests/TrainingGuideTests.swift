import Foundation
import StateKeys
import Testing
import _Differentiation

// Mirrors of Guides/Training.md: each region is a code block of the guide, verbatim.

// snippet: training-classifier
struct Classifier: Differentiable, StateVisitable {
  var l1: Linear
  var norm: BatchNorm
  var l2: Linear

  init(key: RandomKey) throws {
    let keys = try key.split(into: 2)
    l1 = try Linear(inFeatures: 64, outFeatures: 32, key: keys[0])
    norm = try BatchNorm(channels: 32)
    l2 = try Linear(inFeatures: 32, outFeatures: 10, key: keys[1])
  }

  @differentiable(reverse, wrt: self)
  func loss(_ x: Tensor, _ labels: [Int], _ state: State) -> Stateful<Float> {
    let normalized = norm.forward(relu(l1.forward(x)), state)
    let logits = l2.forward(normalized.value)
    return Stateful(softmaxCrossEntropy(logits: logits, labels: labels).mean(), state: normalized.state)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("l1", &l1)
    visitor.visit("norm", &norm)
    visitor.visit("l2", &l2)
  }
}
// end-snippet

@Suite("Guide: Training.md")
struct TrainingGuideTests {
  let batches: [(Tensor, [Int])] = (0..<2).map { index in
    (try! Tensor.normal([8, 64], key: RandomKey(seed: 10 + index)), [0, 1, 2, 3, 4, 5, 6, 7])
  }
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statekeys-guide-\(UUID().uuidString)")

  @Test func firstExampleTrainsAndCheckpoints() throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("training.safetensors").path
    var losses: [Float] = []
    var keys: [String] = []
    func print(_ loss: Float, _ paths: [String]) {
      losses.append(loss)
      keys = paths
    }
    // snippet: training-first-example
    var (model, state) = try exportState(Classifier(key: RandomKey(seed: 0)))
    let adam = try Adam(learningRate: 1e-3)
    var optimizerState = try adam.makeState(for: model)
    for (x, labels) in batches {
      let (loss, gradient, newState) = try valueWithGradient(at: model, state) { model, state in
        model.loss(x, labels, state)
      }
      state = newState          // BatchNorm's running statistics moved
      (model, optimizerState) = try adam.step(model, gradients: gradient, state: optimizerState)
      print(loss, gradient.keys.map(\.path))    // 2.41 [".l1.weight", ".l1.bias", ".l2.weight", ".l2.bias"]
    }
    // end-snippet
    #expect(losses.count == 2 && losses.allSatisfy { $0 > 1 && $0 < 4 })
    #expect(keys == [".l1.weight", ".l1.bias", ".l2.weight", ".l2.bias"])

    // snippet: training-checkpoint
    try State.save(
      ["parameters": try exportParameters(model), "state": state, "optimizer": optimizerState], to: path)

    let (fresh, freshState) = try exportState(Classifier(key: RandomKey(seed: 1)))
    let restored = try [State](
      contentsOf: path, matching: ["parameters": try exportParameters(fresh), "state": freshState, "optimizer": try adam.makeState(for: fresh)])
    let resumed = try importParameters(fresh, restored[0])     // == model
    // restored[1] == state, restored[2] == optimizerState
    // end-snippet
    #expect(try exportParameters(resumed) == exportParameters(model))
    #expect(restored[1] == state && restored[2] == optimizerState)
    let names = try SafetensorsFile(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))).entries.map(\.name)
    for name in ["parameters/.l1.weight", "state/.norm.stats.mean", "optimizer/.l1.weight.mu", "optimizer/count"] {
      #expect(names.contains(name), "\(name)")
    }
  }

  @Test func trainingMode() throws {
    let model = try Classifier(key: RandomKey(seed: 0))
    // snippet: training-mode
    var inference = model
    inference.setTrainingMode(false)
    print(inference.norm.isTraining)    // false
    // end-snippet
    #expect(!inference.norm.isTraining && model.norm.isTraining)
  }

  @Test func deferredErrors() throws {
    var messages: [String] = []
    func print(_ error: any Error) { messages.append("\(error)") }
    // snippet: training-deferred-errors
    let layer = try Linear(inFeatures: 64, outFeatures: 10, key: RandomKey(seed: 0))
    do {
      _ = try withDeferredErrors { layer.forward(try Tensor.zeros([4, 63])) }
    } catch {
      print(error)      // matmul: shapes [4, 63] and [64, 10] are incompatible.
    }
    // end-snippet
    #expect(messages == ["matmul: shapes [4, 63] and [64, 10] are incompatible."])
  }

  @Test func statefulResults() throws {
    // snippet: training-stateful
    let (norm, normState) = try exportState(BatchNorm(channels: 3))
    let output = try withDeferredErrors { norm.forward(try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]), normState) }
    let (y, newState) = output.unpacked
    print(y.shape)                  // [2, 3]
    print(newState == normState)    // false: the running statistics moved
    // end-snippet
    #expect(y.shape == [2, 3] && newState != normState)
  }

  @Test func chains() throws {
    // snippet: training-chain
    let keys = try RandomKey(seed: 2).split(into: 2)
    let block = Chain(try Linear(inFeatures: 64, outFeatures: 32, key: keys[0]), Chain(ReLU(), try BatchNorm(channels: 32)))
    let (chained, chainState) = try exportState(block)
    print(chainState.keys.map(\.path))      // [".second.second.stats"]
    let ones = try Tensor.ones([4, 64])
    let (_, chainGradient, _) = try valueWithGradient(at: chained, chainState) { block, state in
      let output = block.forward(ones, state)
      return Stateful(output.value.squared().mean(), state: output.state)
    }
    print(chainGradient.keys.map(\.path))   // [".first.weight", ".first.bias"]
    // end-snippet
    #expect(chainState.keys.map(\.path) == [".second.second.stats"])
    #expect(chainGradient.keys.map(\.path) == [".first.weight", ".first.bias"])
  }
}
