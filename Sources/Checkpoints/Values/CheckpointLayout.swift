/// The data type and shape of a checkpoint tensor, without its bytes.
public struct CheckpointLayout: Sendable, Hashable {
  /// The element type.
  public let dtype: SafetensorsDType
  /// The shape; the empty shape is a scalar.
  public let shape: [Int]

  /// Creates a layout.
  public init(dtype: SafetensorsDType, shape: [Int]) {
    self.dtype = dtype
    self.shape = shape
  }

  /// The number of bytes a tensor of this layout takes, or `nil` for a negative dimension or
  /// an overflow.
  public var byteCount: Int? { CheckpointTensor.byteCount(dtype: dtype, shape: shape) }

  /// `F32[2, 3]`.
  public var summary: String {
    dtype.rawValue + "[" + shape.map(String.init).joined(separator: ", ") + "]"
  }
}
