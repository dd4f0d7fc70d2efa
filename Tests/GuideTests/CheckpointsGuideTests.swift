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
    try saveCheckpoint(trained, to: path)

    let (fresh, freshState) = try exportState(MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0)))
    let restored = try loadCheckpoint(from: path, matching: freshState)
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
    try saveParameters(of: layer, to: path)
    let other = try Linear(inFeatures: 16, outFeatures: 64, key: RandomKey(seed: 1))
    let loaded = try loadParameters(from: path, into: other)    // == layer
    // end-snippet
    #expect(loaded == layer)
    #expect(try exportParameters(layer).keys.map(\.path) == [".weight", ".bias"])
  }

  @Test func mismatches() throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("moments.safetensors").path
    try saveCheckpoint(exportState(Moments(features: 4)).1, to: path)
    var messages: [String] = []
    // snippet: checkpoint-mismatch
    let (_, wider) = try exportState(Moments(features: 5))
    do {
      _ = try loadCheckpoint(from: path, matching: wider)
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
