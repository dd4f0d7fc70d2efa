import ExplicitState
import Foundation

/// The metadata every checkpoint written here carries, naming its format's version.
public let checkpointFormatMetadata = ["format": "statekeys-checkpoint/1"]

extension SafetensorsFile {
  /// The checkpoint of `state`: one tensor per entry, named by the key's path.
  ///
  /// - Throws: `CheckpointError.unsupportedValue` naming the first value that is not a
  ///   `CheckpointValue`.
  /// - Complexity: O(*n*) in the state's size.
  public init(state: State, metadata: [String: String] = [:]) throws(CheckpointError) {
    var entries: [SafetensorsFile.Entry] = []
    for key in state.keys {
      guard let value = try? state.anyValue(for: key), let storable = value as? any CheckpointValue else {
        throw .unsupportedValue(key: key.path, type: state.valueTypeName(for: key) ?? "?")
      }
      entries.append(SafetensorsFile.Entry(name: key.path, tensor: storable.checkpointTensor))
    }
    try self.init(entries: entries, metadata: checkpointFormatMetadata.merging(metadata) { first, _ in first })
  }

  /// The state this file holds for a model whose state is like `reference`.
  ///
  /// Every key of `reference` must name a tensor of the file, and every tensor of the file a
  /// key; each tensor must have the type and shape of the reference's value. The values read
  /// are bit-identical to those written. The result has `reference`'s keys, in its order.
  ///
  /// - Throws: `CheckpointError.keyMismatch` listing the missing and extra names, and
  ///   `CheckpointError.valueMismatch` naming a tensor of another type or shape.
  /// - Complexity: O(*n*) in the state's size.
  public func state(matching reference: State) throws(CheckpointError) -> State {
    var tensors: [String: CheckpointTensor] = [:]
    for entry in entries { tensors[entry.name] = entry.tensor }
    let names = reference.keys.map(\.path)
    let missing = names.filter { tensors[$0] == nil }
    let nameSet = Set(names)
    let extra = entries.map(\.name).filter { !nameSet.contains($0) }
    guard missing.isEmpty, extra.isEmpty else { throw .keyMismatch(missing: missing, extra: extra) }
    var builder = StateBuilder()
    for key in reference.keys {
      let name = key.path
      guard let tensor = tensors[name], let value = try? reference.anyValue(for: key),
        let storable = value as? any CheckpointValue
      else {
        throw .unsupportedValue(key: name, type: reference.valueTypeName(for: key) ?? "?")
      }
      let expected = storable.checkpointTensor
      guard expected.dtype == tensor.dtype, expected.shape == tensor.shape else {
        throw .valueMismatch(key: name, expected: expected.summary, found: tensor.summary)
      }
      try appendDecoded(like: storable, from: tensor, for: key, to: &builder)
    }
    do {
      return try builder.build(reusing: reference.keySet)
    } catch {
      throw .keyMismatch(missing: [], extra: [error.description])
    }
  }
}

/// Decodes `tensor` as a value of `reference`'s type and appends it, so that the state holds
/// the concrete type.
private func appendDecoded<Value: CheckpointValue>(
  like reference: Value, from tensor: CheckpointTensor, for key: StateKey, to builder: inout StateBuilder
) throws(CheckpointError) {
  builder.append(try Value(checkpointTensor: tensor, key: key.path), for: key)
}

/// Saves `state` to a `.safetensors` file at `path`, atomically: a crash mid-write leaves the
/// previous file, never a broken one.
///
/// - Throws: `CheckpointError.unsupportedValue` for a value checkpoints cannot store, and
///   `CheckpointError.io` when the file cannot be written.
public func saveCheckpoint(_ state: State, to path: String, metadata: [String: String] = [:]) throws(CheckpointError) {
  try write(SafetensorsFile(state: state, metadata: metadata).encoded(), to: path)
}

/// Loads the state saved at `path` for a model whose state is like `reference` (its freshly
/// exported state, say).
///
/// - Throws: `CheckpointError` naming what is wrong with the file, or with its match to
///   `reference`.
public func loadCheckpoint(from path: String, matching reference: State) throws(CheckpointError) -> State {
  try SafetensorsFile(decoding: read(path)).state(matching: reference)
}

/// Saves the parameters of `model` (see `exportParameters(_:)`) to a `.safetensors` file,
/// atomically.
///
/// - Throws: `CheckpointError`, and `StateError` if the model's parameters share a path.
public func saveParameters<Model: StateVisitable>(of model: Model, to path: String, metadata: [String: String] = [:]) throws {
  try saveCheckpoint(exportParameters(model), to: path, metadata: metadata)
}

/// Returns `model` with the parameters saved at `path`, checked against the model's own.
///
/// - Throws: `CheckpointError` naming what is wrong with the file or its match to the model.
public func loadParameters<Model: StateVisitable>(from path: String, into model: Model) throws -> Model {
  try importParameters(model, loadCheckpoint(from: path, matching: exportParameters(model)))
}

/// Writes `bytes` to `path` through a temporary file and a rename.
func write(_ bytes: [UInt8], to path: String) throws(CheckpointError) {
  let url = URL(fileURLWithPath: path)
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: url.deletingLastPathComponent().path, isDirectory: &isDirectory),
    isDirectory.boolValue
  else {
    throw .io(path: path, reason: "its folder does not exist")
  }
  do {
    try Data(bytes).write(to: url, options: .atomic)
  } catch {
    throw .io(path: path, reason: error.localizedDescription)
  }
}

/// The bytes of the file at `path`.
func read(_ path: String) throws(CheckpointError) -> [UInt8] {
  guard FileManager.default.fileExists(atPath: path) else { throw .io(path: path, reason: "there is no such file") }
  do {
    return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
  } catch {
    throw .io(path: path, reason: error.localizedDescription)
  }
}
