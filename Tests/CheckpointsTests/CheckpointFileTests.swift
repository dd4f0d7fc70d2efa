import Checkpoints
import ExplicitState
import Foundation
import TensorLayers
import Testing

/// A model of two layers with a `BatchNorm` between them: a structured state value.
struct NormModel: StateVisitable {
  var stats = try! Moments(features: 3)
  var norm = try! BatchNorm(channels: 3)

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("stats", &stats)
    visitor.visit("norm", &norm)
  }
}

/// A file of one tensor named `name`: `F32[count]`, its bytes left to the file system.
func sparseFile(at path: String, name: String, count: Int) throws {
  let header = SafetensorsFile.Entry(name: name, tensor: try CheckpointTensor(dtype: .float32, shape: [0], bytes: []))
  var bytes = try SafetensorsFile(entries: [header]).encoded()
  // Rewrite the header for `count` elements, then extend the file without writing them.
  let json = #"{"\#(name)":{"dtype":"F32","shape":[\#(count)],"data_offsets":[0,\#(count * 4)]}}"#
  var text = Array(json.utf8)
  while text.count % 8 != 0 { text.append(UInt8(ascii: " ")) }
  bytes = withUnsafeBytes(of: UInt64(text.count).littleEndian, Array.init) + text
  try Data(bytes).write(to: URL(fileURLWithPath: path))
  let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
  try handle.truncate(atOffset: UInt64(bytes.count + count * 4))
  try handle.close()
}

@Suite("Checkpoint files: names before data, links, read-only files, leftovers and devices")
struct CheckpointFileTests {
  /// The header is checked against the model before any data is read: a 64 GiB file of
  /// other names is refused at once, without reading (or allocating) its tensor.
  @Test func namesAndLayoutsAreCheckedBeforeTheData() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("huge.safetensors").path
    let (_, reference) = try exportState(Moments(features: 4))
    try sparseFile(at: path, name: ".other", count: 1 << 34)
    #expect(throws: CheckpointError.keyMismatch(missing: [".first", ".second"], extra: [".other"])) {
      try State(contentsOf: path, matching: reference)
    }
    try sparseFile(at: path, name: ".first", count: 1 << 34)
    let partial = thrownError { try PartialCheckpoint(contentsOf: path, matching: reference) }
    #expect(partial as? CheckpointError == .valueMismatch(key: ".first", expected: "F32[4]", found: "F32[17179869184]"))
  }

  /// A symbolic link is written through: the file it points to changes, the link stays.
  @Test func savingThroughASymbolicLinkKeepsTheLink() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appendingPathComponent("real.safetensors").path
    let link = directory.appendingPathComponent("link.safetensors").path
    let (model, state) = try exportState(Moments(features: 2))
    try state.save(to: target)
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.safetensors")
    let changed = try updateState(state, [model.first: Tensor([7, 8])])
    try changed.save(to: link)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.safetensors")
    #expect(try State(contentsOf: target, matching: state) == changed)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["link.safetensors", "real.safetensors"])
  }

  /// A read-only file is refused unless the caller asks to replace it.
  @Test func aReadOnlyFileIsReplacedOnlyWhenAsked() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("kept.safetensors").path
    let (model, state) = try exportState(Moments(features: 2))
    try state.save(to: path)
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
    let changed = try updateState(state, [model.first: Tensor([1, 2])])
    #expect(throws: CheckpointError.io(path: path, reason: "it is read-only; pass replacingReadOnlyFile: true to replace it")) {
      try changed.save(to: path)
    }
    #expect(try State(contentsOf: path, matching: state) == state)
    try changed.save(to: path, replacingReadOnlyFile: true)
    #expect(try State(contentsOf: path, matching: state) == changed)
    #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o444)
  }

  /// A killed save leaves its temporary file; the next save removes it and leaves nothing.
  @Test func aKilledSavesLeftoverIsRemovedByTheNextSave() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("state.safetensors").path
    let leftover = directory.appendingPathComponent(".state.safetensors.partial").path
    #expect(FileManager.default.createFile(atPath: leftover, contents: Data(repeating: 0xAB, count: 1 << 20)))
    let (_, state) = try exportState(Moments(features: 2))
    try state.save(to: path)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["state.safetensors"])
    #expect(try State(contentsOf: path, matching: state) == state)
  }

  /// A new checkpoint has the permissions the umask gives any new file, as one that
  /// `FileManager` makes; a replaced one keeps its own.
  @Test func aNewFileTakesTheUmasksPermissions() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("new.safetensors").path
    let plain = directory.appendingPathComponent("plain").path
    #expect(FileManager.default.createFile(atPath: plain, contents: Data()))
    let (_, state) = try exportState(Moments(features: 2))
    try state.save(to: path)
    let permissions = { (path: String) in try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int }
    #expect(try permissions(path) == permissions(plain))
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    try state.save(to: path)
    #expect(try permissions(path) == 0o600)
  }

  /// A failed save keeps the previous file and leaves nothing beside it.
  @Test func aFailedSaveKeepsThePreviousFile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("state.safetensors").path
    let (_, state) = try exportState(Moments(features: 2))
    try state.save(to: path)
    let (_, unstorable) = try exportState(["name": StateEntry("text")])
    #expect(throws: CheckpointError.self) { try unstorable.save(to: path) }
    #expect(try State(contentsOf: path, matching: state) == state)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["state.safetensors"])
  }

  /// Devices, folders and missing folders are refused with the package's own words, not
  /// Foundation's ("NSCocoaErrorDomain error 256", "You don't have permission").
  @Test func devicesAndFoldersAreRefusedInPlainWords() throws {
    let (_, state) = try exportState(Moments(features: 2))
    #expect(throws: CheckpointError.io(path: "/dev/zero", reason: "it is not a regular file")) {
      try State(contentsOf: "/dev/zero", matching: state)
    }
    #expect(throws: CheckpointError.io(path: "/tmp", reason: "it is not a regular file")) {
      try State(contentsOf: "/tmp", matching: state)
    }
    #expect(throws: CheckpointError.io(path: "/nonexistent/a.safetensors", reason: "its folder does not exist")) {
      try state.save(to: "/nonexistent/a.safetensors")
    }
    #expect(throws: CheckpointError.io(path: "/dev/null", reason: "it exists and is not a regular file")) {
      try state.save(to: "/dev/null")
    }
  }

  /// Reversed offsets are called reversed, not outside the data.
  @Test func reversedOffsetsAreCalledReversed() throws {
    let bytes = file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, data: Array(repeating: 0, count: 8))
    #expect(throws: CheckpointError.invalidTensor(key: "a", reason: "data_offsets [8, 4] are reversed: expected the begin before the end")) {
      try SafetensorsFile(decoding: bytes)
    }
  }

  /// A mismatch of a million names gives a message of a few lines, with the counts.
  @Test func aKeyMismatchMessageIsShortWithCounts() throws {
    let names = (0..<1_000_000).map { ".layers[\($0)].weight" }
    let message = CheckpointError.keyMismatch(missing: names, extra: Array(names.prefix(3))).description
    #expect(message.count < 1_000)
    #expect(message.contains("missing from the file: 1000000 names, the first 10: .layers[0].weight, "))
    #expect(message.hasSuffix("not in the model: .layers[0].weight, .layers[1].weight, .layers[2].weight."))
  }
}

@Suite("Checkpoints from elsewhere: renaming, partial loads and structured values")
struct ForeignCheckpointTests {
  /// A file whose names carry a prefix loads through a renaming function, or a table.
  @Test func renamingMapsTheFilesNamesToTheModels() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("foreign.safetensors").path
    let (model, state) = try exportState(Moments(features: 2))
    let values = try updateState(state, [model.first: Tensor([1, 2]), model.second: Tensor([3, 4])])
    let foreign = try SafetensorsFile(entries: [
      .init(name: "model.first", tensor: Tensor([1, 2]).checkpointTensor),
      .init(name: "model.second", tensor: Tensor([3, 4]).checkpointTensor),
      .init(name: "optimizer.step", tensor: Int(3).checkpointTensor),
    ])
    #expect(FileManager.default.createFile(atPath: path, contents: Data(foreign.encoded())))
    let loaded = try State(contentsOf: path, matching: state) { name in
      name.hasPrefix("model.") ? "." + name.dropFirst("model.".count) : nil
    }
    #expect(loaded == values)
    let table = ["model.first": ".first", "model.second": ".second"]
    #expect(throws: CheckpointError.keyMismatch(missing: [], extra: ["optimizer.step"])) {
      try State(contentsOf: path, matching: state, renaming: table)
    }
    #expect(throws: CheckpointError.duplicateName(".first")) {
      try State(contentsOf: path, matching: state) { _ in ".first" }
    }
  }

  /// A partial load reports the missing keys, which keep the reference's values, and the
  /// file's names the model lacks.
  @Test func aPartialLoadReportsMissingAndUnusedNames() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("partial.safetensors").path
    let (model, state) = try exportState(Moments(features: 2))
    let foreign = try SafetensorsFile(entries: [
      .init(name: ".first", tensor: Tensor([5, 6]).checkpointTensor),
      .init(name: ".extra", tensor: Float(1).checkpointTensor),
    ])
    #expect(FileManager.default.createFile(atPath: path, contents: Data(foreign.encoded())))
    let loaded = try PartialCheckpoint(contentsOf: path, matching: state)
    #expect(loaded.missingKeys == [model.second.key])
    #expect(loaded.unusedNames == [".extra"])
    #expect(try loaded.state[model.first] == Tensor([5, 6]))
    #expect(try loaded.state[model.second] == state[model.second])
  }

  /// BatchNorm's statistics are one entry stored as two tensors, named as Python names the
  /// leaves of Inox's state: `.norm.stats.mean` and `.norm.stats.var`.
  @Test func structuredValuesAreStoredPerParameterAndReadBack() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("norm.safetensors").path
    let (model, state) = try exportState(NormModel())
    let trained = try model.norm(Tensor(shape: [4, 3], scalars: (0..<12).map(Float.init)), state).1
    try trained.save(to: path)
    let file = try SafetensorsFile(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    #expect(file.entries.map(\.name) == [".stats.first", ".stats.second", ".norm.stats.mean", ".norm.stats.var"])
    let loaded = try State(contentsOf: path, matching: state)
    #expect(loaded == trained)
    #expect(try loaded[model.norm.stats].variance.isApproximatelyEqual(to: Tensor([2.025, 2.025, 2.025]), tolerance: 1e-6))
    #expect(try SafetensorsFile(state: trained).state(matching: state) == trained)
  }
}
