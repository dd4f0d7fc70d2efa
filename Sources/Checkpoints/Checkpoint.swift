import ExplicitState

/// The metadata every checkpoint written here carries, naming its format's version.
public let checkpointFormatMetadata = ["format": "statekeys-checkpoint/1"]

extension State {
  /// Saves the state to a `.safetensors` file at `path`, atomically: a crash mid-write leaves
  /// the previous file, never a broken one.
  ///
  /// Each entry is one tensor named by its key's path (`.inStats.first`). A structured value,
  /// such as `BatchNorm.Statistics`, is one tensor per parameter it visits, named by the key's
  /// path followed by the parameter's (`.norm.stats.mean`, `.norm.stats.var`), as Python names
  /// the leaves of Inox's state. The file is streamed: a tensor's bytes go from its storage to
  /// the file, so the memory a save takes beyond the state is about 1 MiB and the header.
  ///
  /// A `path` that is a symbolic link is written through: the file it points to is replaced
  /// and the link stays. A file without write permission is refused unless
  /// `replacingReadOnlyFile` is `true`. A save that was killed leaves `.NAME.partial` beside
  /// the file; the next save to the same path removes it.
  ///
  /// - Throws: `CheckpointError.unsupportedValue` for a value checkpoints cannot store,
  ///   `CheckpointError.duplicateName` if two tensors would have one name, and
  ///   `CheckpointError.io` when the file cannot be written (the previous file is then kept).
  /// - Complexity: O(*n*) in the state's size.
  public func save(
    to path: String, metadata: [String: String] = [:], replacingReadOnlyFile: Bool = false
  ) throws(CheckpointError) {
    var parts: [StoredEntry.Part] = []
    for key in keys { parts += try StoredEntry(key: key, in: self).parts }
    try write(parts, to: path, metadata: metadata, replacingReadOnlyFile: replacingReadOnlyFile)
  }

  /// Saves several states to one file, each under its prefix: a tensor's name is its state's
  /// prefix, a slash, and the name it has in a checkpoint of that state alone.
  ///
  /// Training keeps the parameters, the model's state and the optimizer's state in one file this
  /// way, under the prefixes `parameters`, `state` and `optimizer`:
  /// `parameters/.l1.weight`, `state/.norm.stats.mean`, `optimizer/.l1.weight.mu`,
  /// `optimizer/count`. The file is written as `save(to:metadata:replacingReadOnlyFile:)`
  /// writes one state.
  ///
  /// ```swift
  /// try State.save(["parameters": parameters, "optimizer": optimizerState], to: path)
  /// ```
  ///
  /// - Throws: `CheckpointError.invalidPrefix` for an empty prefix or one holding a slash, and as
  ///   `save(to:metadata:replacingReadOnlyFile:)` does.
  /// - Complexity: O(*n*) in the states' size.
  public static func save(
    _ states: KeyValuePairs<String, State>, to path: String, metadata: [String: String] = [:],
    replacingReadOnlyFile: Bool = false
  ) throws(CheckpointError) {
    var parts: [StoredEntry.Part] = []
    for (prefix, state) in states {
      try checkPrefix(prefix)
      for key in state.keys {
        for part in try StoredEntry(key: key, in: state).parts {
          parts.append(StoredEntry.Part(name: prefix + "/" + part.name, parameter: part.parameter, value: part.value))
        }
      }
    }
    try write(parts, to: path, metadata: metadata, replacingReadOnlyFile: replacingReadOnlyFile)
  }

}

extension [State] {
  /// Loads the states a file saved by `State.save(_:to:metadata:replacingReadOnlyFile:)` holds,
  /// one for each prefix, in the order of `references`, each checked against its reference as
  /// `State(contentsOf:matching:renaming:)` checks one state. The header is read once, and
  /// checked against every reference before any data is read.
  ///
  /// ```swift
  /// let loaded = try [State](contentsOf: path, matching: ["parameters": parameters, "optimizer": optimizerState])
  /// ```
  ///
  /// - Throws: `CheckpointError.keyMismatch` for a reference's key the file lacks, or a tensor
  ///   under no prefix of `references`, and as `State(contentsOf:matching:renaming:)` does.
  /// - Complexity: O(*n*) in the file's size.
  public init(
    contentsOf path: String, matching references: KeyValuePairs<String, State>
  ) throws(CheckpointError) {
    for (prefix, _) in references { try checkPrefix(prefix) }
    let file = try FileReader(path: path)
    let (header, dataStart) = try readHeader(of: file)
    let covered = header.entries.map(\.name).filter { name in references.contains { name.hasPrefix($0.key + "/") } }
    guard covered.count == header.entries.count else {
      let known = Set(covered)
      throw .keyMismatch(missing: [], extra: header.entries.map(\.name).filter { !known.contains($0) })
    }
    // Each state is matched first, then read, so that no data is read before every state's
    // names and layouts are checked.
    for (prefix, reference) in references {
      _ = try read(header, matching: reference, renaming: stripping(prefix), strict: true, checkOnly: true) { (_, _) throws(CheckpointError) in }
    }
    var states: [State] = []
    for (prefix, reference) in references {
      states.append(try read(header, matching: reference, renaming: stripping(prefix), strict: true) { (entry, buffer) throws(CheckpointError) in
        try file.read(at: dataStart + entry.range.lowerBound, into: buffer)
      }.state)
    }
    self = states
  }
}

/// A renaming that keeps the names under `prefix`, without it.
private func stripping(_ prefix: String) -> (String) -> String? {
  let head = prefix + "/"
  return { name in name.hasPrefix(head) ? String(name.dropFirst(head.count)) : nil }
}

/// Checks that `prefix` can name a part of a file: not empty, and without a slash.
private func checkPrefix(_ prefix: String) throws(CheckpointError) {
  guard !prefix.isEmpty, !prefix.contains("/") else { throw .invalidPrefix(prefix) }
}

/// Writes the tensors of `parts` to a file at `path`, streamed and atomically.
private func write(
  _ parts: [StoredEntry.Part], to path: String, metadata: [String: String], replacingReadOnlyFile: Bool
) throws(CheckpointError) {
  let header = try SafetensorsHeader(
    laying: parts.map(\.name), parts.map(\.value.checkpointLayout),
    metadata: checkpointFormatMetadata.merging(metadata) { first, _ in first })
  let prefix = header.encoded()
  let writer = try AtomicFileWriter(path: path, size: prefix.count + header.dataCount, replacingReadOnlyFile: replacingReadOnlyFile)
  try withBytes(of: prefix) { (bytes) throws(CheckpointError) in try writer.write(bytes) }
  for (part, entry) in zip(parts, header.entries) {
    try part.value.withCheckpointBytes { (bytes) throws(CheckpointError) in
      guard bytes.count == entry.range.count else {
        throw .invalidTensor(key: part.name, reason: "its value gave \(bytes.count) bytes for \(entry.layout.summary), which needs \(entry.range.count)")
      }
      try writer.write(bytes)
    }
  }
  try writer.commit()
}

extension State {
  /// Loads the state saved at `path` for a model whose state is like `reference` (its freshly
  /// exported state, say).
  ///
  /// Every key of `reference` must name a tensor of the file, and every tensor of the file a
  /// key; each tensor must have the type and shape of the reference's value. The header is
  /// checked against `reference` before any data is read. The values read are bit-identical to
  /// those written, and the result has `reference`'s keys, in its order.
  ///
  /// `renaming` maps each name in the file to the name of the model's tensor it holds, or to
  /// `nil` to skip it: a file from elsewhere loads without renaming its tensors first.
  ///
  /// ```swift
  /// let state = try State(contentsOf: path, matching: reference) { name in
  ///   name.hasPrefix("model.") ? String(name.dropFirst(5)) : nil
  /// }
  /// ```
  ///
  /// - Throws: `CheckpointError.keyMismatch` listing the missing and extra names,
  ///   `CheckpointError.valueMismatch` naming a tensor of another type or shape, and
  ///   `CheckpointError` naming what is wrong with the file.
  /// - Complexity: O(*n*) in the file's size.
  public init(
    contentsOf path: String, matching reference: State, renaming: (String) -> String? = { $0 }
  ) throws(CheckpointError) {
    self = try readCheckpoint(from: path, matching: reference, renaming: renaming, strict: true).state
  }

  /// Loads the state saved at `path`, renaming the file's tensors by `table`: a name the table
  /// lists becomes its value there, and other names stay as they are.
  ///
  /// - Throws: As `State(contentsOf:matching:renaming:)` with a closure.
  /// - Complexity: O(*n*) in the file's size.
  public init(
    contentsOf path: String, matching reference: State, renaming table: [String: String]
  ) throws(CheckpointError) {
    try self.init(contentsOf: path, matching: reference) { table[$0] ?? $0 }
  }
}

extension PartialCheckpoint {
  /// Loads what the file at `path` holds of a state like `reference`, and reports the rest:
  /// the keys the file lacks keep `reference`'s values, and the file's tensors the model lacks
  /// are left out. PyTorch's `load_state_dict(strict=False)` does the same.
  ///
  /// ```swift
  /// let loaded = try PartialCheckpoint(contentsOf: path, matching: reference)
  /// print(loaded.missingKeys, loaded.unusedNames)
  /// ```
  ///
  /// - Throws: `CheckpointError.valueMismatch` for a tensor of another type or shape than its
  ///   key's value, and `CheckpointError` naming what is wrong with the file.
  /// - Complexity: O(*n*) in the file's size.
  public init(
    contentsOf path: String, matching reference: State, renaming: (String) -> String? = { $0 }
  ) throws(CheckpointError) {
    self = try readCheckpoint(from: path, matching: reference, renaming: renaming, strict: false)
  }
}

/// A state loaded from a checkpoint that did not match the model exactly, with what did not
/// match.
public struct PartialCheckpoint: Sendable {
  /// The state, with the reference's keys in its order: the file's values where it has them,
  /// the reference's where it does not.
  public var state: State
  /// The reference's keys the file has no tensor for, in the reference's order.
  public var missingKeys: [StateKey]
  /// The names (after renaming) of the file's tensors that are no key of the reference, in
  /// the file's order.
  public var unusedNames: [String]
}

/// Reads the file at `path` against `reference`: its header first, then the data it needs.
private func readCheckpoint(
  from path: String, matching reference: State, renaming: (String) -> String?, strict: Bool
) throws(CheckpointError) -> PartialCheckpoint {
  let file = try FileReader(path: path)
  let (header, dataStart) = try readHeader(of: file)
  return try read(header, matching: reference, renaming: renaming, strict: strict) { (entry, buffer) throws(CheckpointError) in
    try file.read(at: dataStart + entry.range.lowerBound, into: buffer)
  }
}

/// The header of `file`, checked, and where its data starts.
private func readHeader(of file: borrowing FileReader) throws(CheckpointError) -> (SafetensorsHeader, Int) {
  let length = try SafetensorsHeader.length(prefix: file.bytes(at: 0, count: min(8, file.size)), fileSize: file.size)
  let header = try SafetensorsHeader(decoding: file.bytes(at: 8, count: length)[...], dataCount: file.size - 8 - length)
  return (header, 8 + length)
}

extension SafetensorsFile {
  /// The checkpoint of `state`, in memory: what `State.save(to:metadata:replacingReadOnlyFile:)` writes.
  ///
  /// - Throws: `CheckpointError.unsupportedValue` naming the first value that is not a
  ///   `CheckpointValue` nor a structure of them, and `CheckpointError.duplicateName` if two
  ///   tensors would have one name.
  /// - Complexity: O(*n*) in the state's size.
  public init(state: State, metadata: [String: String] = [:]) throws(CheckpointError) {
    var entries: [Entry] = []
    for key in state.keys {
      for part in try StoredEntry(key: key, in: state).parts {
        entries.append(Entry(name: part.name, tensor: part.value.checkpointTensor))
      }
    }
    try self.init(entries: entries, metadata: checkpointFormatMetadata.merging(metadata) { first, _ in first })
  }

  /// The state this file holds for a model whose state is like `reference`, as
  /// `State(contentsOf:matching:renaming:)` reads it from a file.
  ///
  /// - Throws: As `State(contentsOf:matching:renaming:)`.
  /// - Complexity: O(*n*) in the state's size.
  public func state(matching reference: State, renaming: (String) -> String? = { $0 }) throws(CheckpointError) -> State {
    var bytes: [String: [UInt8]] = [:]
    for entry in entries { bytes[entry.name] = entry.tensor.bytes }
    return try read(header, matching: reference, renaming: renaming, strict: true) { (entry, buffer) throws(CheckpointError) in
      guard let source = bytes[entry.name], source.count == buffer.count else {
        throw .invalidTensor(key: entry.name, reason: "its bytes are not the \(buffer.count) its header gives")
      }
      source.withUnsafeBytes { buffer.copyMemory(from: $0) }
    }.state
  }
}

/// A state entry as a checkpoint stores it: one tensor, or one per parameter of a structured
/// value.
private struct StoredEntry {
  /// One tensor of the entry: its name in the file, the parameter's key within a structured
  /// value (`nil` for a plain value), and the value to store or to read like.
  struct Part {
    let name: String
    let parameter: StateKey?
    let value: any CheckpointValue
  }

  let key: StateKey
  let value: any Sendable
  let parts: [Part]

  /// The entry of `key` in `state`.
  ///
  /// - Throws: `CheckpointError.unsupportedValue` for a value that is neither a
  ///   `CheckpointValue` nor a `StateVisitable` whose parameters all are.
  init(key: StateKey, in state: State) throws(CheckpointError) {
    let typeName = state.valueTypeName(for: key) ?? "?"
    guard let value = try? state.anyValue(for: key) else { throw .unsupportedValue(key: key.path, type: typeName) }
    self.key = key
    self.value = value
    if let storable = value as? any CheckpointValue {
      parts = [Part(name: key.path, parameter: nil, value: storable)]
      return
    }
    guard let structure = value as? any StateVisitable, let parameters = try? exportParameters(structure),
      !parameters.isEmpty
    else { throw .unsupportedValue(key: key.path, type: typeName) }
    var parts: [Part] = []
    for parameter in parameters.keys {
      guard let leaf = try? parameters.anyValue(for: parameter), let storable = leaf as? any CheckpointValue else {
        throw .unsupportedValue(key: key.path + parameter.path, type: parameters.valueTypeName(for: parameter) ?? "?")
      }
      parts.append(Part(name: key.path + parameter.path, parameter: parameter, value: storable))
    }
    self.parts = parts
  }
}

/// Reads the state that `header`'s tensors hold for a model whose state is like `reference`,
/// calling `read` for the bytes of each tensor it needs once every name and layout is checked.
private func read(
  _ header: SafetensorsHeader, matching reference: State, renaming: (String) -> String?, strict: Bool,
  checkOnly: Bool = false, bytes read: (SafetensorsHeader.Entry, UnsafeMutableRawBufferPointer) throws(CheckpointError) -> Void
) throws(CheckpointError) -> PartialCheckpoint {
  // The file's tensors by their names after renaming.
  var tensors: [String: SafetensorsHeader.Entry] = [:]
  var renamed: [String] = []
  for entry in header.entries {
    guard let name = renaming(entry.name) else { continue }
    guard tensors.updateValue(entry, forKey: name) == nil else { throw .duplicateName(name) }
    renamed.append(name)
  }
  let stored = try reference.keys.map { (key) throws(CheckpointError) in try StoredEntry(key: key, in: reference) }
  let wanted = Set(stored.lazy.flatMap(\.parts).map(\.name))
  let missing = stored.lazy.flatMap(\.parts).map(\.name).filter { tensors[$0] == nil }
  let unused = renamed.filter { !wanted.contains($0) }
  if strict, !missing.isEmpty || !unused.isEmpty { throw .keyMismatch(missing: Array(missing), extra: unused) }
  // Every layout is checked before any data is read.
  for part in stored.lazy.flatMap(\.parts) {
    guard let entry = tensors[part.name] else { continue }
    let expected = part.value.checkpointLayout
    guard entry.layout == expected else {
      throw .valueMismatch(key: part.name, expected: expected.summary, found: entry.layout.summary)
    }
  }
  if checkOnly { return PartialCheckpoint(state: reference, missingKeys: [], unusedNames: unused) }
  var builder = StateBuilder()
  var missingKeys: [StateKey] = []
  for entry in stored {
    guard entry.parts.allSatisfy({ tensors[$0.name] != nil }) else {
      missingKeys.append(entry.key)
      append(entry.value, for: entry.key, to: &builder)
      continue
    }
    var parameters = StateBuilder()
    for part in entry.parts {
      guard let tensor = tensors[part.name] else { continue }
      let value = try decoded(like: part.value, from: tensor, name: part.name, read: read)
      if let parameter = part.parameter {
        append(value, for: parameter, to: &parameters)
      } else {
        append(value, for: entry.key, to: &builder)
      }
    }
    if entry.parts.first?.parameter != nil {
      try appendStructure(like: entry.value, parameters: parameters, for: entry.key, to: &builder)
    }
  }
  do {
    return PartialCheckpoint(state: try builder.build(reusing: reference.keySet), missingKeys: missingKeys, unusedNames: unused)
  } catch {
    throw .keyMismatch(missing: [], extra: [error.description])
  }
}

/// The value of `entry`'s bytes, of the same type as `reference`.
private func decoded<Value: CheckpointValue>(
  like reference: Value, from entry: SafetensorsHeader.Entry, name: String,
  read: (SafetensorsHeader.Entry, UnsafeMutableRawBufferPointer) throws(CheckpointError) -> Void
) throws(CheckpointError) -> Value {
  try Value(checkpointLayout: entry.layout, key: name) { (buffer) throws(CheckpointError) in try read(entry, buffer) }
}

/// Appends `value` with its own type, not as an existential.
private func append<Value: Sendable>(_ value: Value, for key: StateKey, to builder: inout StateBuilder) {
  builder.append(value, for: key)
}

/// Appends a structured value like `reference`, of its type, with the parameters read for it.
private func appendStructure<Value: Sendable>(
  like reference: Value, parameters: StateBuilder, for key: StateKey, to builder: inout StateBuilder
) throws(CheckpointError) {
  guard let structure = reference as? any StateVisitable, let parameters = try? parameters.build(),
    let value = (try? rebuilt(structure, parameters)) as? Value
  else {
    throw .unsupportedValue(key: key.path, type: String(describing: Value.self))
  }
  builder.append(value, for: key)
}

/// `structure` with `parameters` put back.
private func rebuilt<Structure: StateVisitable>(_ structure: Structure, _ parameters: State) throws(StateError) -> Structure {
  try importParameters(structure, parameters)
}

extension StateVisitable {
  /// Saves the module's parameters (see `exportParameters(_:)`) to a `.safetensors` file,
  /// atomically, as `State.save(to:metadata:replacingReadOnlyFile:)` does.
  ///
  /// ```swift
  /// try model.saveParameters(to: path)
  /// ```
  ///
  /// - Throws: `CheckpointError`, and `StateError` if the module's parameters share a path.
  public func saveParameters(
    to path: String, metadata: [String: String] = [:], replacingReadOnlyFile: Bool = false
  ) throws {
    try exportParameters(self).save(to: path, metadata: metadata, replacingReadOnlyFile: replacingReadOnlyFile)
  }

  /// The module with the parameters saved at `path`, checked against its own, the file's
  /// names mapped by `renaming` as `State(contentsOf:matching:renaming:)` maps them.
  ///
  /// ```swift
  /// let restored = try fresh.loadingParameters(from: path)
  /// ```
  ///
  /// - Throws: `CheckpointError` naming what is wrong with the file or its match to the module.
  public func loadingParameters(from path: String, renaming: (String) -> String? = { $0 }) throws -> Self {
    try importParameters(self, State(contentsOf: path, matching: exportParameters(self), renaming: renaming))
  }
}
