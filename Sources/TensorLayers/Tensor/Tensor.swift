import RandomKeys

/// A small dense array of `Float`s with a shape: enough for the guides' models.
///
/// Elements are stored in row-major order. A tensor is a value, copied on write. The state
/// core does not depend on it: bring your own array type, and this one stays an example.
///
/// ```swift
/// let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let y = 0.9 * x + 0.1          // Float[2, 3]
/// let z = try matmul(x, Tensor.ones([3, 4]))
/// ```
///
/// Operations between two tensors broadcast as NumPy does and throw `TensorError` when the
/// shapes cannot be combined; operations with a scalar never fail.
public struct Tensor: Sendable, Equatable {
  /// The size of each dimension; the empty shape is a scalar.
  public let shape: [Int]
  /// The elements, in row-major order.
  @inlinable public var scalars: [Float] { storage }
  @usableFromInline var storage: [Float]

  /// Creates a tensor without checking that `scalars.count` is the product of `shape`.
  @inlinable
  init(uncheckedShape shape: [Int], scalars: [Float]) {
    self.shape = shape
    self.storage = scalars
  }

  /// Creates a tensor of the given shape from its elements in row-major order.
  ///
  /// - Throws: `TensorError.invalidShape` for a negative dimension, and
  ///   `TensorError.scalarCountMismatch` when the count does not match the shape.
  public init(shape: [Int], scalars: [Float]) throws(TensorError) {
    let count = try Tensor.elementCount(shape)
    guard count == scalars.count else {
      throw .scalarCountMismatch(shape: shape, count: scalars.count)
    }
    self.init(uncheckedShape: shape, scalars: scalars)
  }

  /// Creates a one-dimensional tensor.
  public init(_ scalars: [Float]) {
    self.init(uncheckedShape: [scalars.count], scalars: scalars)
  }

  /// Creates a scalar tensor, of shape `[]`.
  public init(_ scalar: Float) {
    self.init(uncheckedShape: [], scalars: [scalar])
  }

  /// Creates a tensor of the given shape with every element `value`.
  ///
  /// - Throws: `TensorError.invalidShape` for a negative dimension, or a shape of more than
  ///   `maximumElementCount` elements.
  public init(repeating value: Float, shape: [Int]) throws(TensorError) {
    let count = try Tensor.elementCount(shape)
    self.init(uncheckedShape: shape, scalars: Array(repeating: value, count: count))
  }

  /// A tensor of zeros. A zero dimension gives an empty tensor.
  ///
  /// - Throws: `TensorError.invalidShape` for a negative dimension.
  public static func zeros(_ shape: [Int]) throws(TensorError) -> Tensor {
    try Tensor(repeating: 0, shape: shape)
  }

  /// A tensor of ones. A zero dimension gives an empty tensor.
  ///
  /// - Throws: `TensorError.invalidShape` for a negative dimension.
  public static func ones(_ shape: [Int]) throws(TensorError) -> Tensor {
    try Tensor(repeating: 1, shape: shape)
  }

  /// The number of dimensions.
  @inlinable
  public var rank: Int { shape.count }

  /// The number of elements.
  // Inlinable, and read from the storage: shape checks in the arithmetic ask for it on every
  // call, and through a call to `scalars` each read retained and released the elements.
  @inlinable
  public var count: Int { storage.count }

  /// The tensor with a new shape of the same element count; one dimension may be `-1`, to be
  /// inferred.
  ///
  /// - Throws: `TensorError.scalarCountMismatch` when the counts differ, and
  ///   `TensorError.invalidShape` for another negative dimension or two `-1`s.
  public func reshaped(to newShape: [Int]) throws(TensorError) -> Tensor {
    var resolved = newShape
    if let inferred = newShape.firstIndex(of: -1) {
      resolved[inferred] = 1
      let known = try Tensor.elementCount(resolved)
      guard known > 0, count % known == 0 else {
        throw .scalarCountMismatch(shape: newShape, count: count)
      }
      resolved[inferred] = count / known
    }
    return try Tensor(shape: resolved, scalars: scalars)
  }

  /// The largest element count a tensor may have: as many `Float`s as half this machine's
  /// physical memory holds (`maximumDrawCount`, at most 2⁴⁰), so that a shape the machine
  /// could not hold throws instead of failing to allocate, which would end the process.
  public static let maximumElementCount = maximumDrawCount

  /// The largest product of the non-zero dimensions of an empty tensor: 2⁴⁰, so that no
  /// stride computed from a shape can overflow.
  @usableFromInline static let maximumDimensionProduct = 1 << 40

  /// The product of `shape`, or an error for a negative dimension, non-zero dimensions whose
  /// product exceeds `maximumDimensionProduct` (even in an empty tensor, so that no stride
  /// computed from the shape can overflow), or a non-empty shape of more than
  /// `maximumElementCount` elements.
  @usableFromInline
  static func elementCount(_ shape: [Int]) throws(TensorError) -> Int {
    var hasZero = false
    var nonZeroCount = 1
    for dimension in shape {
      guard dimension >= 0 else { throw .invalidShape(shape) }
      if dimension == 0 {
        hasZero = true
        continue
      }
      let (product, overflow) = nonZeroCount.multipliedReportingOverflow(by: dimension)
      guard !overflow, product <= maximumDimensionProduct else { throw .invalidShape(shape) }
      nonZeroCount = product
    }
    if hasZero { return 0 }
    guard nonZeroCount <= maximumElementCount else { throw .invalidShape(shape) }
    return nonZeroCount
  }

  /// Whether every element is within `tolerance` of the other tensor's, with equal shapes.
  public func isApproximatelyEqual(to other: Tensor, tolerance: Float = 1e-5) -> Bool {
    shape == other.shape
      && zip(scalars, other.scalars).allSatisfy { abs($0 - $1) <= tolerance }
  }
}
