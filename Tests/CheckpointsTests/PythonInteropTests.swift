import Checkpoints
import ExplicitState
import Foundation
import RandomKeys
import TensorLayers
import TestSupport
import Testing

/// The `python3` to check files with: `$STATEKEYS_PYTHON`, else the first on `PATH` (where
/// `.ci/run` installs `safetensors` and `numpy`), else a system one; `nil` where there is none.
let python: String? = {
  let environment = ProcessInfo.processInfo.environment
  if let chosen = environment["STATEKEYS_PYTHON"], FileManager.default.isExecutableFile(atPath: chosen) { return chosen }
  let onPath = (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
  return (onPath + ["/usr/local/bin/python3", "/usr/bin/python3"]).first(where: FileManager.default.isExecutableFile)
}()

/// Why the interop tests cannot run here, or `nil` when `python3` has `safetensors` and
/// `numpy`. A fresh machine's `python3` usually lacks both: the tests then skip, saying so.
let pythonUnavailability: String? = {
  guard let python else { return "python3 is not installed here" }
  do {
    _ = try runPython("import safetensors, numpy", [])
    return nil
  } catch {
    return "\(python) lacks safetensors or numpy (install them with "
      + "`python3 -m pip install safetensors numpy`)"
  }
}()

/// Whether a skipped interop test is a failure: `.ci/run` sets `STATEKEYS_REQUIRE_PYTHON=1`.
let pythonIsRequired = ProcessInfo.processInfo.environment["STATEKEYS_REQUIRE_PYTHON"] == "1"

/// A script that `python3` ran and that exited with a failure.
struct PythonFailure: Error, CustomStringConvertible {
  var status: Int32
  var errors: String
  var description: String { "python3 exited with status \(status): \(errors)" }
}

/// Runs `python3 -c script arguments...` and returns its standard output.
///
/// - Throws: `PythonFailure` with the script's standard error when it exits with a failure.
func runPython(_ script: String, _ arguments: [String]) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: python ?? "python3")
  process.arguments = ["-c", script] + arguments
  let output = Pipe()
  let errors = Pipe()
  process.standardOutput = output
  process.standardError = errors
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  guard process.terminationStatus == 0 else { throw PythonFailure(status: process.terminationStatus, errors: errorText) }
  return String(decoding: data, as: UTF8.self)
}

@Suite("Checkpoints: the Python interop tests run where CI requires them")
struct PythonRequirementTests {
  /// `.ci/run` sets `STATEKEYS_REQUIRE_PYTHON=1`, so that a skip there fails instead.
  @Test func pythonIsAvailableWhereRequired() {
    if pythonIsRequired, let reason = pythonUnavailability {
      Issue.record("STATEKEYS_REQUIRE_PYTHON=1, but the Python interop tests would skip: \(reason).")
    }
  }
}

/// The Inox MLP's state, with Inox's field names: a Swift port names its children as the
/// Python attributes, so the keys match without renaming.
struct InoxMLPState: StateVisitable {
  var inStats = try! Moments(features: 16)
  var outStats = try! Moments(features: 3)

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("in_stats", &inStats)
    visitor.visit("out_stats", &outStats)
  }
}

@Suite(
  "Checkpoints: Python's safetensors reads our files and we read its",
  .enabled(if: pythonUnavailability == nil, "\(pythonUnavailability ?? ""): skipped, so files are not checked against Python's safetensors"))
struct PythonInteropTests {
  @Test func pythonReadsWhatSwiftWrites() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("swift.safetensors").path
    let (_, state) = try exportState(Everything())
    try state.save(to: path)
    let script = """
      import json, sys
      from safetensors.numpy import load_file
      from safetensors import safe_open
      tensors = load_file(sys.argv[1])
      with safe_open(sys.argv[1], framework="numpy") as f:
          metadata = f.metadata()
      def encode(a):
          if a.dtype.kind == "f":
              return [a.dtype.str, list(a.shape), a.view(a.dtype.str.replace("f", "u")).ravel().tolist()]
          return [a.dtype.str, list(a.shape), a.ravel().tolist()]
      print(json.dumps({"metadata": metadata, "tensors": {k: encode(v) for k, v in tensors.items()}}, sort_keys=True))
      """
    let output = try runPython(script, [path])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    #expect(json["metadata"] as? [String: String] == ["format": "statekeys-checkpoint/1"])
    let tensors = try #require(json["tensors"] as? [String: [Any]])
    #expect(Set(tensors.keys) == Set(state.keys.map(\.path)))
    #expect(tensors[".tensor"]?[0] as? String == "<f4")
    #expect(tensors[".tensor"]?[1] as? [Int] == [2, 3])
    let bits = try #require(tensors[".tensor"]?[2] as? [UInt64])
    #expect(bits == [Float(1), -0.0, .nan, .infinity, -2.5, Float(bitPattern: 0x7FC0_1234)].map { UInt64($0.bitPattern) })
    #expect(tensors[".double"]?[0] as? String == "<f8")
    #expect(tensors[".int32"]?[2] as? [Int] == [Int(Int32.min)])
    #expect(tensors[".flag"]?[0] as? String == "|b1")
    #expect(tensors[".key"]?[2] as? [Int] == [0, 42])
  }

  @Test func swiftReadsWhatPythonWrites() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("python.safetensors").path
    let script = """
      import sys
      import numpy as np
      from safetensors.numpy import save_file
      save_file({".first": np.array([0.5, -1.0, 2.0, 3.5], dtype=np.float32),
                 ".second": np.arange(4, dtype=np.float32) * 0.25}, sys.argv[1])
      """
    _ = try runPython(script, [path])
    let (model, reference) = try exportState(Moments(features: 4))
    let loaded = try State(contentsOf: path, matching: reference)
    #expect(try loaded[model.first] == Tensor([0.5, -1, 2, 3.5]))
    #expect(try loaded[model.second] == Tensor([0, 0.25, 0.5, 0.75]))
  }

  @Test func aStateExportedByInoxLoadsIntoTheSwiftModel() throws {
    let fixture = try #require(Bundle.module.url(forResource: "inox_mlp_state", withExtension: "safetensors"))
    let (model, reference) = try exportState(InoxMLPState())
    #expect(reference.keys.map(\.path) == [".in_stats.first", ".in_stats.second", ".out_stats.first", ".out_stats.second"])
    let state = try State(contentsOf: fixture.path, matching: reference)
    // The values Inox computed (printed by the script that made the fixture).
    #expect(try Array(state[model.inStats.first].scalars.prefix(4)) == [-0.015443718992173672, 0.008470728062093258, -0.013598049059510231, -0.015503625385463238])
    #expect(try state[model.outStats.second].scalars == [0.9003760814666748, 0.901096522808075, 0.9000481963157654])
  }
}

@Suite("Checkpoints: the Inox fixture, without Python")
struct InoxFixtureTests {
  @Test func theFixtureLoads() throws {
    let fixture = try #require(Bundle.module.url(forResource: "inox_mlp_state", withExtension: "safetensors"))
    let file = try SafetensorsFile(decoding: [UInt8](Data(contentsOf: fixture)))
    #expect(file.metadata == ["made_by": "inox 0.8.0"])
    #expect(file.entries.map(\.name) == [".in_stats.first", ".in_stats.second", ".out_stats.first", ".out_stats.second"])
    let (model, reference) = try exportState(InoxMLPState())
    let state = try file.state(matching: reference)
    #expect(try state[model.outStats.first].scalars == [0.006132894661277533, 0.010471636429429054, -0.002196437679231167])
  }
}

@Suite("Checkpoints: Inox's MLP with BatchNorm, exported by Inox and saved by Python, loads here")
struct InoxBatchNormFixtureTests {
  /// The file Python saved from Inox's state has the names the Swift model's checkpoint has,
  /// holds Inox's values, and those equal what the Swift model computes from the same weights
  /// and batch.
  @Test func theStateInoxExportedLoadsAndMatchesTheSwiftModel() throws {
    let fixture = try #require(Bundle.module.url(forResource: "inox_mlp_batchnorm_state", withExtension: "safetensors"))
    let (model, reference) = try exportState(InoxMLP(key: RandomKey(seed: 0), features: 8, hidden: 6, classes: 3))
    let loaded = try State(contentsOf: fixture.path, matching: reference)
    let file = try SafetensorsFile(decoding: [UInt8](Data(contentsOf: fixture)))
    #expect(file.entries.map(\.name).sorted() == [
      ".in_stats.first", ".in_stats.second", ".norm.stats.mean", ".norm.stats.var", ".out_stats.first", ".out_stats.second",
    ])
    let printed = try #require(file.metadata["first_values"]).data(using: .utf8) ?? Data()
    let firstValues = try JSONDecoder().decode([String: [Float]].self, from: printed)
    #expect(try Array(loaded[model.norm.stats].mean.scalars.prefix(3)) == firstValues[".norm.stats.mean"])
    #expect(try Array(loaded[model.norm.stats].variance.scalars.prefix(3)) == firstValues[".norm.stats.var"])

    let (_, computed) = try model(Tensor.normal([5, 8], key: RandomKey(seed: 1)), reference)
    for key in reference.keys {
      let ours = try SafetensorsFile(state: computed).entries.filter { $0.name.hasPrefix(key.path) }
      let inox = try SafetensorsFile(state: loaded).entries.filter { $0.name.hasPrefix(key.path) }
      #expect(!ours.isEmpty && ours.map(\.name) == inox.map(\.name))
      for (a, b) in zip(ours, inox) {
        let x = try Tensor(checkpointTensor: a.tensor, key: a.name)
        let y = try Tensor(checkpointTensor: b.tensor, key: b.name)
        #expect(x.isApproximatelyEqual(to: y, tolerance: 1e-5), "\(a.name): Swift \(x.scalars) vs Inox \(y.scalars)")
      }
    }
  }
}
