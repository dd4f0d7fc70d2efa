/// A safetensors data type this package reads and writes.
public enum SafetensorsDType: String, Sendable, CaseIterable {
  /// 32-bit IEEE float.
  case float32 = "F32"
  /// 64-bit IEEE float.
  case float64 = "F64"
  /// 32-bit signed integer.
  case int32 = "I32"
  /// 64-bit signed integer.
  case int64 = "I64"
  /// 32-bit unsigned integer (JAX's key data).
  case uint32 = "U32"
  /// One byte per boolean, 0 or 1.
  case bool = "BOOL"

  /// The size of one element, in bytes.
  public var byteWidth: Int {
    switch self {
    case .float32, .int32, .uint32: return 4
    case .float64, .int64: return 8
    case .bool: return 1
    }
  }
}

/// One tensor of a checkpoint: a data type, a shape, and the little-endian bytes.
public struct CheckpointTensor: Sendable, Hashable {
  /// The element type.
  public let dtype: SafetensorsDType
  /// The shape; the empty shape is a scalar.
  public let shape: [Int]
  /// The elements, little-endian, in row-major order.
  public let bytes: [UInt8]

  /// Creates a tensor, checking that the byte count matches the shape and type.
  ///
  /// - Throws: `CheckpointError.invalidTensor` for a negative dimension, an overflowing size,
  ///   or a byte count that does not match.
  public init(dtype: SafetensorsDType, shape: [Int], bytes: [UInt8], key: String = "") throws(CheckpointError) {
    guard let count = Self.byteCount(dtype: dtype, shape: shape) else {
      throw .invalidTensor(key: key, reason: "shape \(shape) is negative or too large")
    }
    guard count == bytes.count else {
      throw .invalidTensor(key: key, reason: "\(dtype.rawValue)\(shape) needs \(count) bytes, found \(bytes.count)")
    }
    self.dtype = dtype
    self.shape = shape
    self.bytes = bytes
  }

  /// The bytes a tensor of this type and shape takes, or `nil` for a negative dimension or an
  /// overflow.
  static func byteCount(dtype: SafetensorsDType, shape: [Int]) -> Int? {
    var count = dtype.byteWidth
    for dimension in shape {
      guard dimension >= 0 else { return nil }
      let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
      guard !overflow else { return nil }
      count = product
    }
    return count
  }

  /// `F32[2, 3]`.
  public var summary: String {
    dtype.rawValue + "[" + shape.map(String.init).joined(separator: ", ") + "]"
  }
}
