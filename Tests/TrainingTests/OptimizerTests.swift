import Checkpoints
import ExplicitState
import Foundation
import RandomKeys
import TensorLayers
import Testing
import Training

/// Two `Linear` layers: parameters `.l1.weight`, `.l1.bias`, `.l2.weight`, `.l2.bias`.
struct TwoLayers: StateVisitable, Equatable {
  var l1 = try! Linear(inFeatures: 3, outFeatures: 4, key: RandomKey(seed: 0))
  var l2 = try! Linear(inFeatures: 4, outFeatures: 2, key: RandomKey(seed: 1))

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("l1", &l1)
    visitor.visit("l2", &l2)
  }
}

/// Gradients of ones for every parameter of `model`.
func ones<Model: StateVisitable>(like model: Model) throws -> State {
  let parameters = try exportParameters(model)
  var builder = StateBuilder()
  for key in parameters.keys {
    builder.append(try Tensor.ones(parameters.value(for: key, as: Tensor.self).shape), for: key)
  }
  return try builder.build()
}

@Suite("Optimizers: state keyed by the parameters' paths, updated functionally")
struct OptimizerTests {
  @Test func aStepMovesTheModelAndKeepsTheOldValues() throws {
    let model = TwoLayers()
    let optimizer = try SGD(learningRate: 0.5)
    let state = try optimizer.makeState(for: model)
    #expect(state.isEmpty)
    let (stepped, _) = try optimizer.step(model, gradients: ones(like: model), state: state)
    #expect(stepped.l1.weight.scalars == model.l1.weight.scalars.map { $0 - 0.5 })
    #expect(model == TwoLayers())
  }

  @Test func adamsStateIsKeyedByParameterPathsWithACount() throws {
    let model = TwoLayers()
    let optimizer = try Adam(learningRate: 1e-3)
    var state = try optimizer.makeState(for: model)
    #expect(state.keys.map(\.path) == [".l1.weight", ".l1.bias", ".l2.weight", ".l2.bias", "count"])
    var stepped = model
    for _ in 0..<3 { (stepped, state) = try optimizer.step(stepped, gradients: ones(like: model), state: state) }
    #expect(try state.value(for: Adam.countKey, as: Int32.self) == 3)
    #expect(try state.value(for: StateKey(parsing: ".l1.bias"), as: AdamMoments.self).mu.shape == [4])
    #expect(state.description.contains(#"StateKey(".l1.weight"): AdamMoments(mu: Float[3, 4], nu: Float[3, 4])"#))
  }

  /// The optimizer's state saves to a checkpoint as any state does, each moment a tensor, and
  /// training resumed from it takes the same steps as training without a break.
  @Test func theStateRoundTripsThroughACheckpointAndResumesBitForBit() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statekeys-optimizer-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("adam.safetensors").path
    let optimizer = try Adam(learningRate: 1e-2, weightDecay: 0.01)
    var model = TwoLayers()
    var state = try optimizer.makeState(for: model)
    let gradients = try ones(like: model)
    for _ in 0..<2 { (model, state) = try optimizer.step(model, gradients: gradients, state: state) }
    try state.save(to: path)
    try model.saveParameters(to: directory.appendingPathComponent("model.safetensors").path)
    let names = try SafetensorsFile(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))).entries.map(\.name)
    #expect(names.prefix(3) == [".l1.weight.mu", ".l1.weight.nu", ".l1.bias.mu"])
    #expect(names.last == "count")

    var resumedModel = try TwoLayers().loadingParameters(from: directory.appendingPathComponent("model.safetensors").path)
    var resumedState = try State(contentsOf: path, matching: optimizer.makeState(for: TwoLayers()))
    #expect(resumedState == state)
    (model, state) = try optimizer.step(model, gradients: gradients, state: state)
    (resumedModel, resumedState) = try optimizer.step(resumedModel, gradients: gradients, state: resumedState)
    #expect(resumedModel == model)
    #expect(resumedState == state)
  }

  @Test func badGradientsAndStatesThrowNamingTheKey() throws {
    let model = TwoLayers()
    let optimizer = try SGD(learningRate: 0.1, momentum: 0.9)
    let state = try optimizer.makeState(for: model)
    let parameters = try exportParameters(model)
    let weight = StateKey(parsing: ".l1.weight")
    #expect(throws: TrainingError.gradientMismatch(missing: parameters.keys, extra: [])) {
      try optimizer.update(parameters, gradients: State(), state: state)
    }
    var wrong = StateBuilder()
    for key in parameters.keys { wrong.append(try Tensor.ones(key == weight ? [2] : parameters.value(for: key, as: Tensor.self).shape), for: key) }
    #expect(throws: TrainingError.shapeMismatch(weight, parameter: [3, 4], gradient: [2])) {
      try optimizer.update(parameters, gradients: wrong.build(), state: state)
    }
    #expect(throws: TrainingError.stateMismatch(weight, expected: "trace of shape [3, 4]")) {
      try optimizer.update(parameters, gradients: ones(like: model), state: State())
    }
    #expect(throws: TrainingError.stateMismatch(Adam.countKey, expected: "step count")) {
      try Adam(learningRate: 1).update(parameters, gradients: ones(like: model), state: state)
    }
    #expect(throws: TrainingError.invalidHyperparameter(name: "learningRate", value: -1, expected: "a finite value of 0 or more")) {
      try SGD(learningRate: -1)
    }
    #expect(throws: TrainingError.invalidHyperparameter(name: "beta1", value: 1, expected: "a value in 0..<1")) {
      try Adam(learningRate: 1e-3, beta1: 1)
    }
  }
}

/// A model with parameters and state: `Linear` then `BatchNorm`.
struct NormedLayer: StateVisitable {
  var linear = try! Linear(inFeatures: 3, outFeatures: 2, key: RandomKey(seed: 2))
  var norm = try! BatchNorm(channels: 2)

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("linear", &linear)
    visitor.visit("norm", &norm)
  }
}

@Suite("One checkpoint holds the parameters, the model's state and the optimizer's state")
struct TrainingCheckpointTests {
  @Test func threeStatesUnderTheirPrefixesRoundTrip() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statekeys-training-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("training.safetensors").path
    let (model, modelState) = try exportState(NormedLayer())
    let (_, trained) = try model.norm(Tensor(shape: [2, 2], scalars: [1, 2, 3, 5]), modelState)
    let optimizer = try Adam(learningRate: 1e-3)
    var optimizerState = try optimizer.makeState(for: model)
    (_, optimizerState) = try optimizer.step(model, gradients: exportParameters(model), state: optimizerState)
    let parameters = try exportParameters(model)
    try State.save(["parameters": parameters, "state": trained, "optimizer": optimizerState], to: path)

    let names = try SafetensorsFile(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))).entries.map(\.name)
    #expect(names == [
      "parameters/.linear.weight", "parameters/.linear.bias", "state/.norm.stats.mean", "state/.norm.stats.var",
      "optimizer/.linear.weight.mu", "optimizer/.linear.weight.nu", "optimizer/.linear.bias.mu", "optimizer/.linear.bias.nu",
      "optimizer/count",
    ])
    let (_, freshState) = try exportState(NormedLayer())
    let loaded = try [State](
      contentsOf: path, matching: ["parameters": parameters, "state": freshState, "optimizer": optimizer.makeState(for: model)])
    #expect(loaded == [parameters, trained, optimizerState])

    // A tensor under no prefix asked for, and a bad prefix, are refused.
    #expect(throws: CheckpointError.keyMismatch(missing: [], extra: names.filter { $0.hasPrefix("optimizer/") })) {
      try [State](contentsOf: path, matching: ["parameters": parameters, "state": freshState])
    }
    #expect(throws: CheckpointError.invalidPrefix("a/b")) { try State.save(["a/b": parameters], to: path) }
  }
}
