import Foundation
import StateKeys
import Testing

// Mirrors of Guides/Checkpoints.md: each region is a code block of the guide, verbatim.

// snippet: inox-names
struct InoxMLPState: StateVisitable {
  var inStats: Moments
  var outStats: Moments

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("in_stats", &inStats)      // Inox's attribute names
    visitor.visit("out_stats", &outStats)
  }
}
// end-snippet

@Suite("Guide: Checkpoints.md")
struct CheckpointsGuideTests {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statekeys-guide-\(UUID().uuidString)")

  @Test func firstExample() throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let x = try Tensor.normal([16], key: RandomKey(seed: 1))
    // snippet: checkpoints-first-example
    let (model, state) = try exportState(MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0)))
    let (_, trained) = try model(x, state)
    let path = directory.appendingPathComponent("mlp-state.safetensors").path
    try trained.save(to: path)

    let (fresh, freshState) = try exportState(MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0)))
    let restored = try State(contentsOf: path, matching: freshState)
    // restored holds trained's values, bit for bit, under fresh's keys
    // end-snippet
    #expect(try restored[fresh.inStats.first] == trained[model.inStats.first])
    #expect(try restored[fresh.outStats.second].scalars.map(\.bitPattern) == trained[model.outStats.second].scalars.map(\.bitPattern))
    let file = try SafetensorsFile(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    #expect(file.entries.map(\.name) == [".inStats.first", ".inStats.second", ".outStats.first", ".outStats.second"])
  }

  @Test func parameters() throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    // snippet: checkpoint-parameters
    let layer = try Linear(inFeatures: 16, outFeatures: 64, key: RandomKey(seed: 0))
    print(try exportParameters(layer).keys.map(\.path))     // [".weight", ".bias"]
    let path = directory.appendingPathComponent("linear.safetensors").path
    try layer.saveParameters(to: path)
    let other = try Linear(inFeatures: 16, outFeatures: 64, key: RandomKey(seed: 1))
    let loaded = try other.loadingParameters(from: path)    // == layer
    // end-snippet
    #expect(loaded == layer)
    #expect(try exportParameters(layer).keys.map(\.path) == [".weight", ".bias"])
  }

  @Test func mismatches() throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("moments.safetensors").path
    try exportState(Moments(features: 4)).1.save(to: path)
    var messages: [String] = []
    // snippet: checkpoint-mismatch
    let (_, wider) = try exportState(Moments(features: 5))
    do {
      _ = try State(contentsOf: path, matching: wider)
    } catch {
      print(error)      // Tensor '.first': expected F32[5], found F32[4].
      messages.append("\(error)")
    }
    // end-snippet
    #expect(messages == ["Tensor '.first': expected F32[5], found F32[4]."])
  }

  @Test func inoxNames() throws {
    let (model, reference) = try exportState(InoxMLPState(inStats: try Moments(features: 16), outStats: try Moments(features: 3)))
    #expect(reference.keys.map(\.path) == [".in_stats.first", ".in_stats.second", ".out_stats.first", ".out_stats.second"])
    _ = model
  }
}

@Suite("Guide: Checkpoints.md, structured values and files from elsewhere")
struct CheckpointsGuideForeignTests {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statekeys-guide-\(UUID().uuidString)")

  @Test func structuredValues() throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    // snippet: checkpoint-structured
    var norm = try BatchNorm(channels: 3)
    let (exported, state) = try exportState(norm)
    let (_, trained) = try exported(try Tensor(shape: [4, 3], scalars: (0..<12).map(Float.init)), state)
    let path = directory.appendingPathComponent("norm.safetensors").path
    try trained.save(to: path)
    // the file holds .stats.mean and .stats.var, Float[3] each
    let restored = try State(contentsOf: path, matching: state)    // == trained
    // end-snippet
    norm.isTraining = false
    #expect(restored == trained)
    let file = try SafetensorsFile(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    #expect(file.entries.map(\.name) == [".stats.mean", ".stats.var"])
    #expect(file.entries.map(\.tensor.shape) == [[3], [3]])
  }

  @Test func renamingAndPartialLoads() throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let (_, reference) = try exportState(Moments(features: 2))
    let foreignPath = directory.appendingPathComponent("foreign.safetensors").path
    let foreign = try SafetensorsFile(entries: [
      .init(name: "model.first", tensor: Tensor([1, 2]).checkpointTensor),
      .init(name: "model.second", tensor: Tensor([3, 4]).checkpointTensor),
      .init(name: "optimizer.step", tensor: Int(1).checkpointTensor),
    ])
    #expect(FileManager.default.createFile(atPath: foreignPath, contents: Data(foreign.encoded())))
    let path = directory.appendingPathComponent("pair.safetensors").path
    let pair = try SafetensorsFile(entries: [
      .init(name: ".first", tensor: Tensor([5, 6]).checkpointTensor),
      .init(name: ".second", tensor: Tensor([7, 8]).checkpointTensor),
    ])
    #expect(FileManager.default.createFile(atPath: path, contents: Data(pair.encoded())))
    let (_, wider3) = try exportState(FirstAndThird(first: StateEntry(Tensor([0, 0])), third: StateEntry(Tensor([9, 9]))))
    // snippet: checkpoint-renaming
    let loaded = try State(contentsOf: foreignPath, matching: reference) { name in
      name.hasPrefix("model.") ? "." + name.dropFirst("model.".count) : nil    // model.first → .first
    }
    let partial = try PartialCheckpoint(contentsOf: path, matching: wider3)
    print(partial.missingKeys, partial.unusedNames)
    // [StateKey(".third")] [".second"]: .third keeps the reference's value
    // end-snippet
    #expect(loaded.keys.map(\.path) == [".first", ".second"])
    #expect(try loaded.value(for: StateKey(parsing: ".second"), as: Tensor.self) == Tensor([3, 4]))
    #expect("\(partial.missingKeys) \(partial.unusedNames)" == #"[StateKey(".third")] [".second"]"#)
    #expect(try partial.state.value(for: StateKey(parsing: ".third"), as: Tensor.self) == Tensor([9, 9]))
    #expect(try partial.state.value(for: StateKey(parsing: ".first"), as: Tensor.self) == Tensor([5, 6]))
  }
}

/// Two fields, `first` and `third`: a model that has one of a file's names and lacks another.
struct FirstAndThird: StateVisitable {
  var first: StateEntry<Tensor>
  var third: StateEntry<Tensor>
  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("first", &first)
    visitor.visit("third", &third)
  }
}

@Suite("Guide: Checkpoints.md, several states in one file")
struct CheckpointsGuidePrefixTests {
  @Test func prefixes() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statekeys-guide-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("training.safetensors").path
    let layer = try Linear(inFeatures: 3, outFeatures: 2, key: RandomKey(seed: 0))
    // snippet: checkpoint-prefixes
    let optimizer = try Adam(learningRate: 1e-3)
    let optimizerState = try optimizer.makeState(for: layer)
    try State.save(["parameters": exportParameters(layer), "optimizer": optimizerState], to: path)
    // parameters/.weight, parameters/.bias, optimizer/.weight.mu, optimizer/.weight.nu, ...,
    // optimizer/count
    let loaded = try [State](
      contentsOf: path, matching: ["parameters": exportParameters(layer), "optimizer": optimizerState])
    // end-snippet
    #expect(try loaded == [exportParameters(layer), optimizerState])
    let names = try SafetensorsFile(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))).entries.map(\.name)
    #expect(names == [
      "parameters/.weight", "parameters/.bias", "optimizer/.weight.mu", "optimizer/.weight.nu", "optimizer/.bias.mu",
      "optimizer/.bias.nu", "optimizer/count",
    ])
  }
}
