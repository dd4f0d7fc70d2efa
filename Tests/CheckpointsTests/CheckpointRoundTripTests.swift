import Checkpoints
import ExplicitState
import Foundation
import RandomKeys
import TensorLayers
import Testing

/// Every kind of value a checkpoint stores.
struct Everything: StateVisitable {
  var tensor = StateEntry(try! Tensor(shape: [2, 3], scalars: [1, -0.0, .nan, .infinity, -2.5, Float(bitPattern: 0x7FC0_1234)]))
  var float = StateEntry(Float(0.1))
  var double = StateEntry(Double.pi)
  var int32 = StateEntry(Int32.min)
  var int64 = StateEntry(Int64.max)
  var int = StateEntry(-7)
  var word = StateEntry(UInt32.max)
  var flag = StateEntry(true)
  var floats = StateEntry([Float]([1, 2, 3]))
  var key = StateEntry(RandomKey(seed: 42))

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("tensor", &tensor)
    visitor.visit("float", &float)
    visitor.visit("double", &double)
    visitor.visit("int32", &int32)
    visitor.visit("int64", &int64)
    visitor.visit("int", &int)
    visitor.visit("word", &word)
    visitor.visit("flag", &flag)
    visitor.visit("floats", &floats)
    visitor.visit("key", &key)
  }
}

/// The error `body` throws, or `nil`.
func thrownError<T>(_ body: () throws -> T) -> (any Error)? {
  do {
    _ = try body()
    return nil
  } catch {
    return error
  }
}

/// A temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("statekeys-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite("Checkpoints: states round-trip bit for bit, checked against the model")
struct CheckpointRoundTripTests {
  @Test func everyValueRoundTripsBitForBit() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("state.safetensors").path
    let (model, state) = try exportState(Everything())
    try state.save(to: path)
    let loaded = try State(contentsOf: path, matching: state)
    #expect(loaded.keys == state.keys)
    #expect(try loaded[model.tensor].scalars.map(\.bitPattern) == state[model.tensor].scalars.map(\.bitPattern))
    #expect(try loaded[model.tensor].shape == [2, 3])
    #expect(try loaded[model.float] == 0.1 && loaded[model.double] == .pi)
    #expect(try loaded[model.int32] == .min && loaded[model.int64] == .max && loaded[model.int] == -7)
    #expect(try loaded[model.word] == .max && loaded[model.flag] && loaded[model.floats] == [1, 2, 3])
    #expect(try loaded[model.key] == RandomKey(seed: 42))
    let file = try SafetensorsFile(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    #expect(file.metadata == ["format": "statekeys-checkpoint/1"])
    #expect(file.entries.map(\.name) == state.keys.map(\.path))
    #expect(file.entries.map(\.tensor.summary) == ["F32[2, 3]", "F32[]", "F64[]", "I32[]", "I64[]", "I64[]", "U32[]", "BOOL[]", "F32[3]", "U32[2]"])
  }

  @Test func keysTypesAndShapesAreChecked() throws {
    let (_, state) = try exportState(Moments(features: 4))
    let (_, wider) = try exportState(Moments(features: 5))
    let file = try SafetensorsFile(state: state)
    #expect(throws: CheckpointError.valueMismatch(key: ".first", expected: "F32[5]", found: "F32[4]")) {
      try file.state(matching: wider)
    }
    let (_, other) = try exportState(Everything())
    let error = thrownError { try file.state(matching: other) }
    guard case .keyMismatch(let missing, let extra)? = error as? CheckpointError else {
      Issue.record("expected a key mismatch, found \(String(describing: error))")
      return
    }
    #expect(missing.count == 10 && extra == [".first", ".second"])
    #expect("\(error.map { "\($0)" } ?? "")".contains("missing from the file: .tensor"))
    var retyped = StateBuilder()
    retyped.append(Double(0), for: try StateKey([.field("first")]))
    retyped.append(try Tensor.ones([4]), for: try StateKey([.field("second")]))
    #expect(throws: CheckpointError.valueMismatch(key: ".first", expected: "F64[]", found: "F32[4]")) {
      try file.state(matching: retyped.build())
    }
  }

  @Test func valuesCheckpointsCannotStoreAreNamed() throws {
    let (_, state) = try exportState(["name": StateEntry("text")])
    #expect(throws: CheckpointError.unsupportedValue(key: "['name']", type: "String")) { try SafetensorsFile(state: state) }
  }

  @Test func aFailedSaveLeavesThePreviousFile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("state.safetensors").path
    let (_, good) = try exportState(Moments(features: 4))
    try good.save(to: path)
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    let (_, bad) = try exportState(["name": StateEntry("text")])
    #expect(throws: CheckpointError.self) { try bad.save(to: path) }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["state.safetensors"])
    #expect(throws: CheckpointError.self) { try good.save(to: directory.appendingPathComponent("no/such/dir.safetensors").path) }
    #expect(throws: CheckpointError.self) { try State(contentsOf: directory.appendingPathComponent("absent").path, matching: good) }
  }

  @Test func parametersRoundTripAndAreChecked() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("parameters.safetensors").path
    let trained = try Linear(inFeatures: 3, outFeatures: 2, key: RandomKey(seed: 1))
    let fresh = try Linear(inFeatures: 3, outFeatures: 2, key: RandomKey(seed: 2))
    #expect(try exportParameters(trained).keys.map(\.path) == [".weight", ".bias"])
    try trained.saveParameters(to: path)
    #expect(try fresh.loadingParameters(from: path) == trained)
    let wider = try Linear(inFeatures: 4, outFeatures: 2, key: RandomKey(seed: 2))
    #expect(throws: CheckpointError.valueMismatch(key: ".weight", expected: "F32[4, 2]", found: "F32[3, 2]")) {
      try wider.loadingParameters(from: path)
    }
  }
}
