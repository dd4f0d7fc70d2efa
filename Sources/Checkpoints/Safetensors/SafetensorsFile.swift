/// The contents of a `.safetensors` file: named tensors and string metadata.
///
/// The format is an 8-byte little-endian header length, a JSON header naming each tensor's
/// data type, shape and byte range, and the tensors' bytes. Reading checks everything a
/// stranger's file could get wrong before it takes a byte: the header's length against the
/// file, its JSON, every data type, shape and byte count, and that the tensors' ranges neither
/// overlap nor leave holes. Nothing is allocated on the header's word alone.
public struct SafetensorsFile: Sendable, Equatable {
  /// A tensor with its name.
  public struct Entry: Sendable, Equatable {
    /// The tensor's name: for a state, its key's path (`.inStats.first`).
    public let name: String
    /// The tensor.
    public let tensor: CheckpointTensor

    /// Creates an entry.
    public init(name: String, tensor: CheckpointTensor) {
      self.name = name
      self.tensor = tensor
    }
  }

  /// The tensors, in header order; no two have one name.
  public private(set) var entries: [Entry]
  /// The `__metadata__` strings.
  public var metadata: [String: String]

  /// The largest header accepted, as in Python's `safetensors`: 100 MB.
  public static let maximumHeaderLength = 100_000_000

  /// Creates the contents of a file.
  ///
  /// - Throws: `CheckpointError.duplicateName` if two entries have one name.
  /// - Complexity: O(*n*) in the number of entries.
  public init(entries: [Entry], metadata: [String: String] = [:]) throws(CheckpointError) {
    var names = Set<String>()
    for entry in entries where !names.insert(entry.name).inserted { throw .duplicateName(entry.name) }
    self.entries = entries
    self.metadata = metadata
  }

  /// Decodes a file's bytes.
  ///
  /// - Throws: `CheckpointError` naming the first problem: a truncated file, a header larger
  ///   than the file, a header that is not the expected JSON, an unsupported data type, a
  ///   tensor whose shape, type and byte range disagree, or overlapping or missing bytes.
  /// - Complexity: O(*n*) in the file's size.
  public init(decoding bytes: [UInt8]) throws(CheckpointError) {
    let length = try SafetensorsHeader.length(prefix: bytes.prefix(8), fileSize: bytes.count)
    let header = try SafetensorsHeader(decoding: bytes[8..<(8 + length)], dataCount: bytes.count - 8 - length)
    let dataStart = 8 + length
    var entries: [Entry] = []
    entries.reserveCapacity(header.entries.count)
    for entry in header.entries {
      let range = (dataStart + entry.range.lowerBound)..<(dataStart + entry.range.upperBound)
      let tensor = try CheckpointTensor(dtype: entry.layout.dtype, shape: entry.layout.shape, bytes: Array(bytes[range]), key: entry.name)
      entries.append(Entry(name: entry.name, tensor: tensor))
    }
    self.entries = entries
    self.metadata = header.metadata
  }

  /// The header that lays out these entries in order (their names are unique, as both
  /// initializers check).
  var header: SafetensorsHeader {
    var offset = 0
    let laid = entries.map { entry in
      defer { offset += entry.tensor.bytes.count }
      return SafetensorsHeader.Entry(
        name: entry.name, layout: CheckpointLayout(dtype: entry.tensor.dtype, shape: entry.tensor.shape),
        range: offset..<(offset + entry.tensor.bytes.count))
    }
    return SafetensorsHeader(entries: laid, metadata: metadata)
  }

  /// The file's bytes: the tensors laid out in order, the header padded to 8 bytes.
  ///
  /// - Complexity: O(*n*) in the tensors' size.
  public func encoded() -> [UInt8] {
    let header = header
    var bytes = header.encoded()
    bytes.reserveCapacity(bytes.count + header.dataCount)
    for entry in entries { bytes += entry.tensor.bytes }
    return bytes
  }
}
