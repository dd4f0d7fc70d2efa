/// The header of a `.safetensors` file: each tensor's name, layout and byte range, and the
/// metadata. Reading it checks everything a stranger's file could get wrong about the data
/// before a byte of the data is read.
struct SafetensorsHeader: Equatable {
  /// One tensor's place in the file's data.
  struct Entry: Equatable {
    let name: String
    let layout: CheckpointLayout
    /// The tensor's bytes, relative to the start of the data.
    let range: Range<Int>
  }

  /// The tensors, in header order (which is data order for the files written here).
  var entries: [Entry]
  /// The `__metadata__` strings.
  var metadata: [String: String]

  /// A header of these entries, which the caller has checked.
  init(entries: [Entry], metadata: [String: String]) {
    self.entries = entries
    self.metadata = metadata
  }

  /// The header of tensors of `layouts`, laid out one after the other in order.
  ///
  /// - Throws: `CheckpointError.duplicateName` if two tensors have one name, and
  ///   `CheckpointError.invalidTensor` for a layout too large to address.
  init(laying names: [String], _ layouts: [CheckpointLayout], metadata: [String: String]) throws(CheckpointError) {
    var seen = Set<String>()
    var offset = 0
    entries = []
    entries.reserveCapacity(names.count)
    for (name, layout) in zip(names, layouts) {
      guard seen.insert(name).inserted else { throw .duplicateName(name) }
      guard let count = layout.byteCount, case let (end, overflow) = offset.addingReportingOverflow(count), !overflow else {
        throw .invalidTensor(key: name, reason: "shape \(layout.shape) is negative or too large")
      }
      entries.append(Entry(name: name, layout: layout, range: offset..<end))
      offset = end
    }
    self.metadata = metadata
  }

  /// The number of bytes of data the header describes.
  var dataCount: Int { entries.last?.range.upperBound ?? 0 }

  /// Reads a header's JSON, checked against the `dataCount` bytes of data that follow it.
  ///
  /// - Throws: `CheckpointError` naming the first problem: JSON that is not a safetensors
  ///   header, an unsupported data type, a tensor whose shape, type and byte range disagree,
  ///   two tensors of one name, or overlapping or missing bytes.
  /// - Complexity: O(*n*) in the header's size.
  init(decoding json: ArraySlice<UInt8>, dataCount: Int) throws(CheckpointError) {
    guard case .object(let members) = try HeaderJSON.parse(Array(json)) else {
      throw .malformedHeader("the header is not a JSON object")
    }
    entries = []
    metadata = [:]
    for (name, value) in members {
      if name == "__metadata__" {
        guard case .object(let pairs) = value else { throw .malformedHeader("__metadata__ is not an object") }
        for (key, item) in pairs {
          guard case .string(let text) = item else { throw .malformedHeader("__metadata__['\(key)'] is not a string") }
          metadata[key] = text
        }
        continue
      }
      entries.append(try Self.entry(name, value, dataCount: dataCount))
    }
    var next = 0
    for entry in entries.sorted(by: { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }) {
      guard entry.range.lowerBound >= next else { throw .invalidLayout("tensor '\(entry.name)' overlaps the tensor before it") }
      guard entry.range.lowerBound == next else { throw .invalidLayout("bytes \(next)..<\(entry.range.lowerBound) belong to no tensor") }
      next = entry.range.upperBound
    }
    guard next == dataCount else { throw .invalidLayout("bytes \(next)..<\(dataCount) belong to no tensor") }
  }

  /// One header entry, checked.
  private static func entry(_ name: String, _ value: HeaderJSON, dataCount: Int) throws(CheckpointError) -> Entry {
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
    guard offsets.count == 2 else {
      throw .invalidTensor(key: name, reason: "data_offsets \(offsets) are not two offsets, a begin and an end")
    }
    guard offsets[0] <= offsets[1] else {
      throw .invalidTensor(key: name, reason: "data_offsets \(offsets) are reversed: expected the begin before the end")
    }
    guard offsets[0] >= 0, offsets[1] <= dataCount else {
      throw .invalidTensor(key: name, reason: "data_offsets \(offsets) are outside the \(dataCount) bytes of data")
    }
    let layout = CheckpointLayout(dtype: dtype, shape: shape)
    guard let count = layout.byteCount else {
      throw .invalidTensor(key: name, reason: "shape \(shape) is negative or too large")
    }
    guard count == offsets[1] - offsets[0] else {
      throw .invalidTensor(key: name, reason: "\(dtypeName)\(shape) needs \(count) bytes, but data_offsets give \(offsets[1] - offsets[0])")
    }
    return Entry(name: name, layout: layout, range: offsets[0]..<offsets[1])
  }

  private static func integers(_ values: [HeaderJSON], name: String, field: String) throws(CheckpointError) -> [Int] {
    var result: [Int] = []
    for value in values {
      guard case .integer(let integer) = value else { throw .malformedHeader("'\(name)'.\(field) holds a value that is not an integer") }
      result.append(integer)
    }
    return result
  }

  /// The 8-byte little-endian length followed by the header's JSON, padded with spaces to a
  /// multiple of 8 bytes: what comes before the data in a file.
  ///
  /// - Complexity: O(*n*) in the number of entries.
  func encoded() -> [UInt8] {
    var members: [(String, HeaderJSON)] = []
    if !metadata.isEmpty {
      members.append(("__metadata__", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
    }
    for entry in entries {
      members.append((entry.name, .object([
        ("dtype", .string(entry.layout.dtype.rawValue)),
        ("shape", .array(entry.layout.shape.map { .integer($0) })),
        ("data_offsets", .array([.integer(entry.range.lowerBound), .integer(entry.range.upperBound)])),
      ])))
    }
    var header = Array(HeaderJSON.object(members).text.utf8)
    while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + header.count)
    var length = UInt64(header.count)
    for _ in 0..<8 {
      bytes.append(UInt8(length & 0xFF))
      length >>= 8
    }
    return bytes + header
  }

  /// Reads the header's length from the first 8 bytes of a file of `fileSize` bytes.
  ///
  /// - Throws: `CheckpointError.truncated` for fewer than 8 bytes, and
  ///   `CheckpointError.headerTooLarge` for a length past the format's limit or the file's end.
  static func length(prefix: some Collection<UInt8>, fileSize: Int) throws(CheckpointError) -> Int {
    guard fileSize >= 8, prefix.count >= 8 else { throw .truncated(expected: 8, found: fileSize) }
    var length: UInt64 = 0
    for byte in prefix.prefix(8).reversed() { length = length << 8 | UInt64(byte) }
    guard length <= UInt64(SafetensorsFile.maximumHeaderLength), length <= UInt64(fileSize - 8) else {
      throw .headerTooLarge(length: length, fileSize: fileSize)
    }
    return Int(length)
  }
}
