import Checkpoints
import ExplicitState
import Foundation
import RandomKeys
import TensorLayers
import TestSupport
import Testing
import Training

@Suite("Resuming: training saved to one checkpoint and loaded goes on bit for bit")
struct ResumeTests {
  /// Four batches of 16 samples with their labels: one epoch.
  let batches: [(Tensor, [Int])] = (0..<4).map { index in
    let (xKey, labelKey) = RandomKey(seed: 100 + index).split()
    let labels = try! labelKey.uniform(shape: [16], minimum: 0, maximum: 10).map { Int($0) }
    return (try! Tensor.normal([16, 64], key: xKey), labels)
  }

  struct Run {
    var model: InoxMLP
    var state: State
    var optimizerState: State
  }

  func train(_ run: inout Run, epochs: Int, with adam: Adam) throws {
    for _ in 0..<epochs {
      for (x, labels) in batches {
        let (_, gradient, newState) = try valueWithGradient(at: run.model, run.state) { model, state in
          model.loss(x, labels, state)
        }
        run.state = newState
        (run.model, run.optimizerState) = try adam.step(run.model, gradients: gradient, state: run.optimizerState)
      }
    }
  }

  @Test func twoEpochsSavedLoadedAndOneMoreEqualThreeEpochs() throws {
    let adam = try Adam(learningRate: 1e-2)
    let (model, state) = try exportState(InoxMLP(key: RandomKey(seed: 0)))
    let start = Run(model: model, state: state, optimizerState: try adam.makeState(for: model))

    var straight = start
    try train(&straight, epochs: 3, with: adam)

    var first = start
    try train(&first, epochs: 2, with: adam)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statekeys-resume-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("training.safetensors").path
    try State.save(
      ["parameters": try exportParameters(first.model), "state": first.state, "optimizer": first.optimizerState], to: path)

    // A fresh process would build the model from another seed and load everything back.
    let (fresh, freshState) = try exportState(InoxMLP(key: RandomKey(seed: 99)))
    let loaded = try [State](
      contentsOf: path,
      matching: ["parameters": try exportParameters(fresh), "state": freshState, "optimizer": try adam.makeState(for: fresh)])
    var resumed = Run(model: try importParameters(fresh, loaded[0]), state: loaded[1], optimizerState: loaded[2])
    #expect(resumed.model == first.model)
    try train(&resumed, epochs: 1, with: adam)

    #expect(resumed.model == straight.model)
    #expect(resumed.state == straight.state)
    #expect(resumed.optimizerState == straight.optimizerState)
    // Bit for bit (`==` would take -0 for +0), and not by accident: the third epoch moved
    // the parameters.
    let (resumedParameters, straightParameters) = (try exportParameters(resumed.model), try exportParameters(straight.model))
    for key in straightParameters.keys {
      let (a, b) = (try resumedParameters.value(for: key, as: Tensor.self), try straightParameters.value(for: key, as: Tensor.self))
      #expect(a.scalars.map(\.bitPattern) == b.scalars.map(\.bitPattern), "\(key)")
    }
    for key in straight.optimizerState.keys where key != Adam.countKey {
      let (a, b) = (try resumed.optimizerState.value(for: key, as: AdamMoments.self), try straight.optimizerState.value(for: key, as: AdamMoments.self))
      #expect(a.mu.scalars.map(\.bitPattern) == b.mu.scalars.map(\.bitPattern) && a.nu.scalars.map(\.bitPattern) == b.nu.scalars.map(\.bitPattern))
    }
    #expect(resumed.model != first.model)
  }
}
