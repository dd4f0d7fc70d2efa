import _Differentiation

extension Tensor: Differentiable {
  /// A tensor's tangent (its gradient): the elements of a tensor of the primal's shape, or the
  /// symbolic zero, which needs no shape.
  ///
  /// `Tensor`'s own `+` throws on shapes that do not broadcast, so it cannot be the
  /// `AdditiveArithmetic` its gradient must be; gradients have their primal's shape by
  /// construction, and add without a check.
  public struct TangentVector: Differentiable, AdditiveArithmetic, Sendable, Equatable {
    /// The gradient's elements with the primal's shape, or `nil` for the zero gradient.
    public var tensor: Tensor?

    /// The gradient with these elements.
    @inlinable
    public init(_ tensor: Tensor) { self.tensor = tensor }

    @inlinable
    init(zero: Void) { tensor = nil }

    /// A tangent's tangent is itself.
    public typealias TangentVector = Self

    /// The zero gradient, of any shape.
    @inlinable
    public static var zero: Self { Self(zero: ()) }

    /// The sum of two gradients of one shape.
    ///
    /// Both have the same shape, or one is `zero`: gradients of one value always do. Others
    /// are refused with `TensorError.incompatibleShapes`, deferred (see
    /// `withDeferredErrors(_:)`), and the sum is `lhs`.
    @inlinable
    public static func + (lhs: Self, rhs: Self) -> Self {
      guard var sum = lhs.tensor else { return rhs }
      guard let other = rhs.tensor else { return lhs }
      guard sum.shape == other.shape else {
        deferError(TensorError.incompatibleShapes(operation: "TangentVector.+", sum.shape, other.shape))
        return lhs
      }
      sum.storage.withUnsafeMutableBufferPointer { out in
        other.storage.withUnsafeBufferPointer { source in
          for i in out.indices { out[i] += source[i] }
        }
      }
      return Self(sum)
    }

    /// The difference of two gradients of one shape.
    ///
    /// Both have the same shape, or one is `zero`, as for `+`.
    @inlinable
    public static func - (lhs: Self, rhs: Self) -> Self {
      guard let other = rhs.tensor else { return lhs }
      return lhs + Self(-other)
    }

    /// Adds `offset` to this gradient.
    @inlinable
    public mutating func move(by offset: Self) { self = self + offset }
  }

  /// Moves the tensor by `offset`: adds the gradient's elements to its own.
  ///
  /// `offset` is zero or has this tensor's shape; another shape is refused with
  /// `TensorError.incompatibleShapes`, deferred (see `withDeferredErrors(_:)`), and the
  /// tensor is left as it was.
  @inlinable
  public mutating func move(by offset: TangentVector) {
    guard let offset = offset.tensor else { return }
    guard offset.shape == shape else {
      deferError(TensorError.incompatibleShapes(operation: "move(by:)", shape, offset.shape))
      return
    }
    storage.withUnsafeMutableBufferPointer { out in
      offset.storage.withUnsafeBufferPointer { source in
        for i in out.indices { out[i] += source[i] }
      }
    }
  }
}

extension Tensor {
  @derivative(of: init(_:))
  @usableFromInline
  static func _vjpInit(_ scalar: Float) -> (value: Tensor, pullback: (TangentVector) -> Float) {
    (Tensor(scalar), { $0.tensor?.storage.first ?? 0 })
  }

  /// An empty tensor, which a failed non-throwing operation returns after deferring its error.
  @usableFromInline
  static var placeholder: Tensor { Tensor(uncheckedShape: [0], scalars: []) }

  /// `gradient` summed over the axes along which a tensor of `shape` was broadcast to it, so
  /// that it has `shape`: the pullback of broadcasting.
  ///
  /// - Complexity: O(*n*) in the size of `gradient`.
  static func unbroadcast(_ gradient: Tensor, to shape: [Int]) -> Tensor {
    if gradient.shape == shape { return gradient }
    let target = shape.reduce(1, *)
    if target == 1 {
      return Tensor(uncheckedShape: shape, scalars: [gradient.sum()])
    }
    if let block = trailingBlock(shape, of: gradient.shape), block == target {
      // Summed over the leading axes: whole rows at a time.
      var result = [Float](repeating: 0, count: target)
      result.withUnsafeMutableBufferPointer { out in
        gradient.storage.withUnsafeBufferPointer { source in
          var start = 0
          while start < source.count {
            for j in 0..<block { out[j] += source[start + j] }
            start += block
          }
        }
      }
      return Tensor(uncheckedShape: shape, scalars: result)
    }
    var result = [Float](repeating: 0, count: target)
    let strides = broadcastStrides(shape, to: gradient.shape)
    let dimensions = gradient.shape
    var index = Array(repeating: 0, count: dimensions.count)
    var offset = 0
    gradient.storage.withUnsafeBufferPointer { source in
      for element in source {
        result[offset] += element
        var axis = dimensions.count - 1
        while axis >= 0 {
          index[axis] += 1
          offset += strides[axis]
          if index[axis] < dimensions[axis] { break }
          offset -= strides[axis] * dimensions[axis]
          index[axis] = 0
          axis -= 1
        }
      }
    }
    return Tensor(uncheckedShape: shape, scalars: result)
  }
}
