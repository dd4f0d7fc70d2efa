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
    guard bytes.count >= 8 else { throw .truncated(expected: 8, found: bytes.count) }
    var length: UInt64 = 0
    for index in (0..<8).reversed() { length = length << 8 | UInt64(bytes[index]) }
    guard length <= UInt64(Self.maximumHeaderLength), length <= UInt64(bytes.count - 8) else {
      throw .headerTooLarge(length: length, fileSize: bytes.count)
    }
    let headerEnd = 8 + Int(length)
    guard case .object(let members) = try HeaderJSON.parse(Array(bytes[8..<headerEnd])) else {
      throw .malformedHeader("the header is not a JSON object")
    }
    let dataCount = bytes.count - headerEnd
    var entries: [Entry] = []
    var ranges: [(range: Range<Int>, name: String)] = []
    var metadata: [String: String] = [:]
    for (name, value) in members {
      if name == "__metadata__" {
        guard case .object(let pairs) = value else { throw .malformedHeader("__metadata__ is not an object") }
        for (key, item) in pairs {
          guard case .string(let text) = item else { throw .malformedHeader("__metadata__['\(key)'] is not a string") }
          metadata[key] = text
        }
        continue
      }
      let (dtype, shape, range) = try Self.tensorInfo(name, value, dataCount: dataCount)
      let tensor = try CheckpointTensor(dtype: dtype, shape: shape, bytes: Array(bytes[(headerEnd + range.lowerBound)..<(headerEnd + range.upperBound)]), key: name)
      entries.append(Entry(name: name, tensor: tensor))
      ranges.append((range, name))
    }
    var next = 0
    for (range, name) in ranges.sorted(by: { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }) {
      guard range.lowerBound >= next else { throw .invalidLayout("tensor '\(name)' overlaps the tensor before it") }
      guard range.lowerBound == next else { throw .invalidLayout("bytes \(next)..<\(range.lowerBound) belong to no tensor") }
      next = range.upperBound
    }
    guard next == dataCount else { throw .invalidLayout("bytes \(next)..<\(dataCount) belong to no tensor") }
    self.entries = entries
    self.metadata = metadata
  }

  /// The data type, shape and byte range of one header entry, checked.
  private static func tensorInfo(
    _ name: String, _ value: HeaderJSON, dataCount: Int
  ) throws(CheckpointError) -> (SafetensorsDType, [Int], Range<Int>) {
    guard case .object(let fields) = value else { throw .malformedHeader("'\(name)' is not an object") }
    var dtypeName: String?
    var shape: [Int]?
    var offsets: [Int]?
    for (field, item) in fields {
      switch (field, item) {
      case ("dtype", .string(let text)): dtypeName = text
      case ("shape", .array(let values)): shape = try integers(values, name: name, field: field)
      case ("data_offsets", .array(let values)): offsets = try integers(values, name: name, field: field)
      default: throw .malformedHeader("'\(name)' has an unexpected field '\(field)'")
      }
    }
    guard let dtypeName, let shape, let offsets else {
      throw .malformedHeader("'\(name)' needs dtype, shape and data_offsets")
    }
    guard let dtype = SafetensorsDType(rawValue: dtypeName) else { throw .unsupportedDType(key: name, dtype: dtypeName) }
    guard offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataCount else {
      throw .invalidTensor(key: name, reason: "data_offsets \(offsets) are outside the \(dataCount) bytes of data")
    }
    guard let count = CheckpointTensor.byteCount(dtype: dtype, shape: shape) else {
      throw .invalidTensor(key: name, reason: "shape \(shape) is negative or too large")
    }
    guard count == offsets[1] - offsets[0] else {
      throw .invalidTensor(key: name, reason: "\(dtypeName)\(shape) needs \(count) bytes, but data_offsets give \(offsets[1] - offsets[0])")
    }
    return (dtype, shape, offsets[0]..<offsets[1])
  }

  private static func integers(_ values: [HeaderJSON], name: String, field: String) throws(CheckpointError) -> [Int] {
    var result: [Int] = []
    for value in values {
      guard case .integer(let integer) = value else { throw .malformedHeader("'\(name)'.\(field) holds a value that is not an integer") }
      result.append(integer)
    }
    return result
  }

  /// The file's bytes: the tensors laid out in order, the header padded to 8 bytes.
  ///
  /// - Complexity: O(*n*) in the tensors' size.
  public func encoded() -> [UInt8] {
    var members: [(String, HeaderJSON)] = []
    if !metadata.isEmpty {
      members.append(("__metadata__", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
    }
    var offset = 0
    for entry in entries {
      let end = offset + entry.tensor.bytes.count
      members.append((entry.name, .object([
        ("dtype", .string(entry.tensor.dtype.rawValue)),
        ("shape", .array(entry.tensor.shape.map { .integer($0) })),
        ("data_offsets", .array([.integer(offset), .integer(end)])),
      ])))
      offset = end
    }
    var header = Array(HeaderJSON.object(members).text.utf8)
    while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + header.count + offset)
    var length = UInt64(header.count)
    for _ in 0..<8 {
      bytes.append(UInt8(length & 0xFF))
      length >>= 8
    }
    bytes += header
    for entry in entries { bytes += entry.tensor.bytes }
    return bytes
  }
}
