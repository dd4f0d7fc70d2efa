import RandomKeys
import TensorLayers
import StateKeysSupport

/// A value a checkpoint can store as a tensor, and read back bit for bit.
///
/// `Tensor`, `Float`, `Double`, `Int32`, `Int64`, `Int`, `UInt32`, `Bool`, arrays of these
/// numbers, and `RandomKey` conform; scalars are stored as tensors of shape `[]`. A state
/// value that is not a `CheckpointValue` but is `StateVisitable`, such as
/// `BatchNorm.Statistics`, is stored as one tensor per parameter it visits.
///
/// Conform with `checkpointTensor` and `init(checkpointTensor:key:)`; the other requirements
/// have defaults built on those two, which a large value overrides so that saving and loading
/// copy its bytes once, straight between its storage and the file.
public protocol CheckpointValue: Sendable {
  /// The value as a tensor.
  var checkpointTensor: CheckpointTensor { get }

  /// Reads a value from a tensor.
  ///
  /// - Throws: `CheckpointError.valueMismatch` when the tensor's type or shape cannot hold a
  ///   value of this type.
  init(checkpointTensor: CheckpointTensor, key: String) throws(CheckpointError)

  /// The data type and shape of `checkpointTensor`, without making its bytes.
  var checkpointLayout: CheckpointLayout { get }

  /// Calls `body` with the bytes of `checkpointTensor`.
  ///
  /// - Throws: What `body` throws.
  func withCheckpointBytes(_ body: (UnsafeRawBufferPointer) throws(CheckpointError) -> Void) throws(CheckpointError)

  /// Reads a value of `layout`, whose bytes `fill` writes into the buffer it is given (of
  /// exactly the layout's byte count).
  ///
  /// - Throws: `CheckpointError.valueMismatch` when the layout cannot hold a value of this
  ///   type, and what `fill` throws.
  init(
    checkpointLayout layout: CheckpointLayout, key: String,
    filling fill: (UnsafeMutableRawBufferPointer) throws(CheckpointError) -> Void
  ) throws(CheckpointError)
}

extension CheckpointValue {
  /// The layout of `checkpointTensor`.
  public var checkpointLayout: CheckpointLayout {
    let tensor = checkpointTensor
    return CheckpointLayout(dtype: tensor.dtype, shape: tensor.shape)
  }

  /// Calls `body` with the bytes of `checkpointTensor`.
  public func withCheckpointBytes(_ body: (UnsafeRawBufferPointer) throws(CheckpointError) -> Void) throws(CheckpointError) {
    let bytes = checkpointTensor.bytes
    try withBytes(of: bytes, body)
  }

  /// Fills a byte array and reads it with `init(checkpointTensor:key:)`.
  public init(
    checkpointLayout layout: CheckpointLayout, key: String,
    filling fill: (UnsafeMutableRawBufferPointer) throws(CheckpointError) -> Void
  ) throws(CheckpointError) {
    guard let count = layout.byteCount else {
      throw .invalidTensor(key: key, reason: "shape \(layout.shape) is negative or too large")
    }
    var bytes = [UInt8](repeating: 0, count: count)
    try withMutableBytes(of: &bytes, fill)
    try self.init(checkpointTensor: CheckpointTensor(dtype: layout.dtype, shape: layout.shape, bytes: bytes, key: key), key: key)
  }
}

/// A fixed-width number stored little-endian.
public protocol CheckpointScalar: Sendable {
  /// The data type of this scalar.
  static var checkpointDType: SafetensorsDType { get }
  /// Appends the little-endian bytes of the value.
  func appendBytes(to bytes: inout [UInt8])
  /// Reads the value whose little-endian bytes start at `offset`.
  static func read(_ bytes: [UInt8], at offset: Int) -> Self
}

extension FixedWidthInteger {
  /// Appends the little-endian bytes of the value.
  func appendLittleEndian(to bytes: inout [UInt8]) {
    var value = self.littleEndian
    withUnsafeBytes(of: &value) { bytes.append(contentsOf: $0) }
  }

  /// Reads a little-endian value from `bytes` at `offset`, which has `bitWidth / 8` bytes.
  static func readLittleEndian(_ bytes: [UInt8], at offset: Int) -> Self {
    var value = Self.zero
    for index in (0..<(Self.bitWidth / 8)).reversed() { value = value << 8 | Self(bytes[offset + index]) }
    return value
  }
}

extension Float: CheckpointScalar {
  /// `F32`.
  public static var checkpointDType: SafetensorsDType { .float32 }
  /// The IEEE bits, little-endian.
  public func appendBytes(to bytes: inout [UInt8]) { bitPattern.appendLittleEndian(to: &bytes) }
  /// The value of the IEEE bits at `offset`.
  public static func read(_ bytes: [UInt8], at offset: Int) -> Float { Float(bitPattern: .readLittleEndian(bytes, at: offset)) }
}

extension Double: CheckpointScalar {
  /// `F64`.
  public static var checkpointDType: SafetensorsDType { .float64 }
  /// The IEEE bits, little-endian.
  public func appendBytes(to bytes: inout [UInt8]) { bitPattern.appendLittleEndian(to: &bytes) }
  /// The value of the IEEE bits at `offset`.
  public static func read(_ bytes: [UInt8], at offset: Int) -> Double { Double(bitPattern: .readLittleEndian(bytes, at: offset)) }
}

extension Int32: CheckpointScalar {
  /// `I32`.
  public static var checkpointDType: SafetensorsDType { .int32 }
  /// The bytes, little-endian.
  public func appendBytes(to bytes: inout [UInt8]) { appendLittleEndian(to: &bytes) }
  /// The value at `offset`.
  public static func read(_ bytes: [UInt8], at offset: Int) -> Int32 { readLittleEndian(bytes, at: offset) }
}

extension Int64: CheckpointScalar {
  /// `I64`.
  public static var checkpointDType: SafetensorsDType { .int64 }
  /// The bytes, little-endian.
  public func appendBytes(to bytes: inout [UInt8]) { appendLittleEndian(to: &bytes) }
  /// The value at `offset`.
  public static func read(_ bytes: [UInt8], at offset: Int) -> Int64 { readLittleEndian(bytes, at: offset) }
}

extension Int: CheckpointScalar {
  /// `I64`.
  public static var checkpointDType: SafetensorsDType { .int64 }
  /// The bytes of the value as an `Int64`, little-endian.
  public func appendBytes(to bytes: inout [UInt8]) { Int64(self).appendLittleEndian(to: &bytes) }
  /// The value at `offset`.
  public static func read(_ bytes: [UInt8], at offset: Int) -> Int { Int(Int64.readLittleEndian(bytes, at: offset)) }
}

extension UInt32: CheckpointScalar {
  /// `U32`.
  public static var checkpointDType: SafetensorsDType { .uint32 }
  /// The bytes, little-endian.
  public func appendBytes(to bytes: inout [UInt8]) { appendLittleEndian(to: &bytes) }
  /// The value at `offset`.
  public static func read(_ bytes: [UInt8], at offset: Int) -> UInt32 { readLittleEndian(bytes, at: offset) }
}

extension Bool: CheckpointScalar {
  /// `BOOL`.
  public static var checkpointDType: SafetensorsDType { .bool }
  /// One byte, 0 or 1.
  public func appendBytes(to bytes: inout [UInt8]) { bytes.append(self ? 1 : 0) }
  /// Whether the byte at `offset` is not zero.
  public static func read(_ bytes: [UInt8], at offset: Int) -> Bool { bytes[offset] != 0 }
}

/// The tensor of `values` with `shape`.
func checkpointTensor<Scalar: CheckpointScalar>(_ values: some Sequence<Scalar>, shape: [Int]) -> CheckpointTensor {
  var bytes: [UInt8] = []
  for value in values { value.appendBytes(to: &bytes) }
  return CheckpointTensor(unchecked: Scalar.checkpointDType, shape: shape, bytes: bytes)
}

/// The elements of `tensor`, which must be `Scalar`s.
func decodedScalars<Scalar: CheckpointScalar>(
  of tensor: CheckpointTensor, as type: Scalar.Type, key: String, expected: String
) throws(CheckpointError) -> [Scalar] {
  guard tensor.dtype == Scalar.checkpointDType else { throw .valueMismatch(key: key, expected: expected, found: tensor.summary) }
  let width = Scalar.checkpointDType.byteWidth
  return (0..<(tensor.bytes.count / width)).map { Scalar.read(tensor.bytes, at: $0 * width) }
}

extension CheckpointTensor {
  /// A tensor built by this module, whose byte count is right by construction.
  init(unchecked dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) {
    self.dtype = dtype
    self.shape = shape
    self.bytes = bytes
  }
}

extension CheckpointValue where Self: CheckpointScalar {
  /// The value as a tensor of shape `[]`.
  public var checkpointTensor: CheckpointTensor { Checkpoints.checkpointTensor(CollectionOfOne(self), shape: []) }

  /// Reads a tensor of shape `[]` and this type.
  public init(checkpointTensor tensor: CheckpointTensor, key: String) throws(CheckpointError) {
    let expected = "\(Self.checkpointDType.rawValue)[]"
    guard tensor.shape.isEmpty else { throw .valueMismatch(key: key, expected: expected, found: tensor.summary) }
    let values = try decodedScalars(of: tensor, as: Self.self, key: key, expected: expected)
    guard let value = values.first else { throw .valueMismatch(key: key, expected: expected, found: tensor.summary) }
    self = value
  }
}

extension Float: CheckpointValue {}
extension Double: CheckpointValue {}
extension Int32: CheckpointValue {}
extension Int64: CheckpointValue {}
extension Int: CheckpointValue {}
extension UInt32: CheckpointValue {}
extension Bool: CheckpointValue {}

extension Array: CheckpointValue where Element: CheckpointScalar {
  /// The elements as a one-dimensional tensor.
  public var checkpointTensor: CheckpointTensor { Checkpoints.checkpointTensor(self, shape: [count]) }

  /// Reads a one-dimensional tensor of the element type.
  public init(checkpointTensor tensor: CheckpointTensor, key: String) throws(CheckpointError) {
    let expected = "\(Element.checkpointDType.rawValue)[n]"
    guard tensor.shape.count == 1 else { throw .valueMismatch(key: key, expected: expected, found: tensor.summary) }
    self = try decodedScalars(of: tensor, as: Element.self, key: key, expected: expected)
  }
}

extension Tensor: CheckpointValue {
  /// The elements as an `F32` tensor of the same shape.
  public var checkpointTensor: CheckpointTensor { Checkpoints.checkpointTensor(scalars, shape: shape) }

  /// `F32` of the tensor's shape.
  public var checkpointLayout: CheckpointLayout { CheckpointLayout(dtype: .float32, shape: shape) }

  /// Calls `body` with the elements' little-endian bytes: their storage itself on a
  /// little-endian machine.
  public func withCheckpointBytes(_ body: (UnsafeRawBufferPointer) throws(CheckpointError) -> Void) throws(CheckpointError) {
    #if _endian(little)
      try withBytes(of: scalars, body)
    #else
      try withBytes(of: checkpointTensor.bytes, body)
    #endif
  }

  /// Reads an `F32` tensor whose bytes `fill` writes straight into the new tensor's storage
  /// on a little-endian machine.
  public init(
    checkpointLayout layout: CheckpointLayout, key: String,
    filling fill: (UnsafeMutableRawBufferPointer) throws(CheckpointError) -> Void
  ) throws(CheckpointError) {
    #if _endian(little)
      guard layout.dtype == .float32, let byteCount = layout.byteCount else {
        throw .valueMismatch(key: key, expected: "F32[...]", found: layout.summary)
      }
      let count = byteCount / 4
      let scalars = try [Float](count: count) { (buffer) throws(CheckpointError) in
        try fill(UnsafeMutableRawBufferPointer(buffer))
      }
      do {
        self = try Tensor(shape: layout.shape, scalars: scalars)
      } catch {
        throw .valueMismatch(key: key, expected: "F32[...]", found: layout.summary)
      }
    #else
      guard let count = layout.byteCount else { throw .valueMismatch(key: key, expected: "F32[...]", found: layout.summary) }
      var bytes = [UInt8](repeating: 0, count: count)
      try withMutableBytes(of: &bytes, fill)
      try self.init(checkpointTensor: CheckpointTensor(dtype: layout.dtype, shape: layout.shape, bytes: bytes, key: key), key: key)
    #endif
  }

  /// Reads an `F32` tensor.
  public init(checkpointTensor tensor: CheckpointTensor, key: String) throws(CheckpointError) {
    let values = try decodedScalars(of: tensor, as: Float.self, key: key, expected: "F32[...]")
    do {
      self = try Tensor(shape: tensor.shape, scalars: values)
    } catch {
      throw .valueMismatch(key: key, expected: "F32[...]", found: tensor.summary)
    }
  }
}

extension RandomKey: CheckpointValue {
  /// The key data as a `U32[2]` tensor, as `jax.random.key_data` gives it.
  public var checkpointTensor: CheckpointTensor { Checkpoints.checkpointTensor([data.0, data.1], shape: [2]) }

  /// Reads a `U32[2]` tensor of key data.
  public init(checkpointTensor tensor: CheckpointTensor, key: String) throws(CheckpointError) {
    let words = try decodedScalars(of: tensor, as: UInt32.self, key: key, expected: "U32[2]")
    guard tensor.shape == [2], words.count == 2 else { throw .valueMismatch(key: key, expected: "U32[2]", found: tensor.summary) }
    self.init(keyData: (words[0], words[1]))
  }
}

/// Calls `body` with the bytes of `array`, passing on its typed error.
func withBytes<Element>(
  of array: [Element], _ body: (UnsafeRawBufferPointer) throws(CheckpointError) -> Void
) throws(CheckpointError) {
  var failure: CheckpointError?
  array.withUnsafeBytes { buffer in
    do throws(CheckpointError) { try body(buffer) } catch { failure = error }
  }
  if let failure { throw failure }
}

/// Calls `body` with the bytes of `array` to write, passing on its typed error.
func withMutableBytes<Element>(
  of array: inout [Element], _ body: (UnsafeMutableRawBufferPointer) throws(CheckpointError) -> Void
) throws(CheckpointError) {
  var failure: CheckpointError?
  array.withUnsafeMutableBytes { buffer in
    do throws(CheckpointError) { try body(buffer) } catch { failure = error }
  }
  if let failure { throw failure }
}
