import StateKeysSupport

extension Tensor {
  /// Applies `operation` elementwise, broadcasting the shapes as NumPy does.
  ///
  /// Always inlined, so that each operator's loops are compiled with its operation: the common
  /// cases (one shape, a scalar, a block repeated along leading axes) then vectorize.
  @inlinable @inline(__always)
  static func broadcasting(
    _ lhs: Tensor, _ rhs: Tensor, _ name: String, _ operation: (Float, Float) -> Float
  ) throws(TensorError) -> Tensor {
    if lhs.shape == rhs.shape {
      var result = lhs.scalars
      result.withUnsafeMutableBufferPointer { out in
        rhs.scalars.withUnsafeBufferPointer { r in
          for i in out.indices { out[i] = operation(out[i], r[i]) }
        }
      }
      return Tensor(uncheckedShape: lhs.shape, scalars: result)
    }
    let shape = try broadcastShape(lhs.shape, rhs.shape, name)
    if rhs.count == 1, shape == lhs.shape {
      let r = rhs.scalars[0]
      return Tensor(uncheckedShape: shape, scalars: lhs.scalars.map { operation($0, r) })
    }
    if lhs.count == 1, shape == rhs.shape {
      let l = lhs.scalars[0]
      return Tensor(uncheckedShape: shape, scalars: rhs.scalars.map { operation(l, $0) })
    }
    // One operand repeats along the leading axes of the other, as a bias along a batch: a
    // loop over whole blocks, with no index arithmetic per element.
    if shape == lhs.shape, let block = trailingBlock(rhs.shape, of: shape) {
      return Tensor(uncheckedShape: shape, scalars: repeatingBlock(lhs.storage, rhs.storage, block: block) { operation($0, $1) })
    }
    if shape == rhs.shape, let block = trailingBlock(lhs.shape, of: shape) {
      return Tensor(uncheckedShape: shape, scalars: repeatingBlock(rhs.storage, lhs.storage, block: block) { operation($1, $0) })
    }
    return try generalBroadcasting(lhs, rhs, shape, operation)
  }

  /// The general case of `broadcasting`: an index per axis, stepped element by element.
  @usableFromInline @inline(never)
  static func generalBroadcasting(
    _ lhs: Tensor, _ rhs: Tensor, _ shape: [Int], _ operation: (Float, Float) -> Float
  ) throws(TensorError) -> Tensor {
    let lhsStrides = broadcastStrides(lhs.shape, to: shape)
    let rhsStrides = broadcastStrides(rhs.shape, to: shape)
    let count = try elementCount(shape)
    var index = Array(repeating: 0, count: shape.count)
    var result: [Float] = []
    result.reserveCapacity(count)
    var l = 0
    var r = 0
    for _ in 0..<count {
      result.append(operation(lhs.scalars[l], rhs.scalars[r]))
      var axis = shape.count - 1
      while axis >= 0 {
        index[axis] += 1
        l += lhsStrides[axis]
        r += rhsStrides[axis]
        if index[axis] < shape[axis] { break }
        l -= lhsStrides[axis] * shape[axis]
        r -= rhsStrides[axis] * shape[axis]
        index[axis] = 0
        axis -= 1
      }
    }
    return Tensor(uncheckedShape: shape, scalars: result)
  }

  /// The element count of `shape` when, less its leading 1s, it is a suffix of `target`: the
  /// length of the block that repeats along `target`'s leading axes.
  @usableFromInline
  static func trailingBlock(_ shape: [Int], of target: [Int]) -> Int? {
    let trimmed = shape.drop(while: { $0 == 1 })
    guard trimmed.count <= target.count, target.suffix(trimmed.count).elementsEqual(trimmed) else { return nil }
    let block = trimmed.reduce(1, *)
    return block > 0 ? block : nil
  }

  /// `operation(full[i], block[i % block.count])` for each element of `full`.
  @inlinable @inline(__always)
  static func repeatingBlock(
    _ full: [Float], _ repeated: [Float], block: Int, _ operation: (Float, Float) -> Float
  ) -> [Float] {
    assert(repeated.count == block && full.count % block == 0, "block sizes")
    return [Float](count: full.count) { out in
      full.withUnsafeBufferPointer { f in
        repeated.withUnsafeBufferPointer { r in
          var start = 0
          while start < f.count {
            for j in 0..<block { out[start + j] = operation(f[start + j], r[j]) }
            start += block
          }
        }
      }
    }
  }

  /// The shape NumPy broadcasts `lhs` and `rhs` to.
  @usableFromInline
  static func broadcastShape(_ lhs: [Int], _ rhs: [Int], _ name: String) throws(TensorError) -> [Int] {
    let rank = max(lhs.count, rhs.count)
    var shape = Array(repeating: 1, count: rank)
    for axis in 0..<rank {
      let a = axis - (rank - lhs.count) >= 0 ? lhs[axis - (rank - lhs.count)] : 1
      let b = axis - (rank - rhs.count) >= 0 ? rhs[axis - (rank - rhs.count)] : 1
      guard a == b || a == 1 || b == 1 else { throw .incompatibleShapes(operation: name, lhs, rhs) }
      shape[axis] = a == 1 ? b : a
    }
    return shape
  }

  /// Row-major strides of `shape` seen through `target`: zero along broadcast axes.
  @usableFromInline
  static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    var strides = Array(repeating: 0, count: target.count)
    var step = 1
    for axis in (0..<shape.count).reversed() {
      let targetAxis = axis + target.count - shape.count
      strides[targetAxis] = shape[axis] == 1 ? 0 : step
      step *= shape[axis]
    }
    return strides
  }

  /// The tensor with `transform` applied to each element.
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public func mapScalars(_ transform: (Float) throws -> Float) rethrows -> Tensor {
    var result = scalars
    try result.withUnsafeMutableBufferPointer { out in
      for i in out.indices { out[i] = try transform(out[i]) }
    }
    return Tensor(uncheckedShape: shape, scalars: result)
  }

  /// Applies `operation` to each element.
  @inlinable
  func map(_ operation: (Float) -> Float) -> Tensor {
    var result = scalars
    result.withUnsafeMutableBufferPointer { out in
      for i in out.indices { out[i] = operation(out[i]) }
    }
    return Tensor(uncheckedShape: shape, scalars: result)
  }

  /// Elementwise sum, broadcasting as NumPy does.
  ///
  /// - Throws: `TensorError.incompatibleShapes` when the shapes do not broadcast.
  @inlinable
  public static func + (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
    try broadcasting(lhs, rhs, "+", +)
  }

  /// Elementwise difference, broadcasting as NumPy does.
  ///
  /// - Throws: `TensorError.incompatibleShapes` when the shapes do not broadcast.
  @inlinable
  public static func - (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
    try broadcasting(lhs, rhs, "-", -)
  }

  /// Elementwise product, broadcasting as NumPy does.
  ///
  /// - Throws: `TensorError.incompatibleShapes` when the shapes do not broadcast.
  @inlinable
  public static func * (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
    try broadcasting(lhs, rhs, "*", *)
  }

  /// Elementwise quotient, broadcasting as NumPy does.
  ///
  /// - Throws: `TensorError.incompatibleShapes` when the shapes do not broadcast.
  @inlinable
  public static func / (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
    try broadcasting(lhs, rhs, "/", /)
  }

  /// Adds `rhs` to every element.
  @inlinable
  public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 + rhs } }
  /// Adds `lhs` to every element.
  @inlinable
  public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs + $0 } }
  /// Subtracts `rhs` from every element.
  @inlinable
  public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 - rhs } }
  /// Subtracts every element from `lhs`.
  @inlinable
  public static func - (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs - $0 } }
  /// Multiplies every element by `rhs`.
  @inlinable
  public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 * rhs } }
  /// Multiplies every element by `lhs`.
  @inlinable
  public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs * $0 } }
  /// Divides every element by `rhs`.
  @inlinable
  public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 / rhs } }
  /// Divides `lhs` by every element.
  @inlinable
  public static func / (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs / $0 } }

  /// Negates every element.
  @inlinable
  public static prefix func - (operand: Tensor) -> Tensor { operand.map { -$0 } }

  /// Each element squared.
  @inlinable
  public func squared() -> Tensor { map { $0 * $0 } }

  /// The square root of each element.
  @inlinable
  public func squareRoot() -> Tensor { map { $0.squareRoot() } }
}

extension Tensor {
  /// Replaces each element by `operation` of it and the matching element of `other`, in
  /// place: one pass, no new tensor when the elements are not shared.
  ///
  /// ```swift
  /// try first.combine(with: x) { first, x in 0.9 * first + 0.1 * x }
  /// ```
  ///
  /// - Throws: `TensorError.incompatibleShapes` unless `other` has this tensor's shape or
  ///   is a scalar.
  /// - Complexity: O(*n*).
  @inlinable
  public mutating func combine(with other: Tensor, _ operation: (Float, Float) -> Float) throws(TensorError) {
    guard other.shape == shape || other.count == 1 else {
      throw .incompatibleShapes(operation: "combine(with:)", shape, other.shape)
    }
    if other.count == 1, count != 1 || other.shape != shape {
      let value = other.storage[0]
      storage.withUnsafeMutableBufferPointer { out in
        for i in out.indices { out[i] = operation(out[i], value) }
      }
      return
    }
    other.storage.withUnsafeBufferPointer { source in
      storage.withUnsafeMutableBufferPointer { out in
        for i in out.indices { out[i] = operation(out[i], source[i]) }
      }
    }
  }

  /// Updates two tensors of one shape elementwise from a third, in place and in one pass.
  ///
  /// ```swift
  /// try Tensor.combine(&first, &second, with: x) { first, second, x in
  ///   first = 0.9 * first + 0.1 * x
  ///   second = 0.9 * second + 0.1 * x * x
  /// }
  /// ```
  ///
  /// `operation` gets one element of each tensor at a time, the first two to change. One pass
  /// over all three reads each element once, where two `combine(with:_:)` calls read `other`
  /// twice.
  ///
  /// - Throws: `TensorError.incompatibleShapes` unless `first` and `second` have one shape and
  ///   `other` has that shape or is a scalar.
  /// - Complexity: O(*n*).
  @inlinable
  public static func combine(
    _ first: inout Tensor, _ second: inout Tensor, with other: Tensor,
    _ operation: (inout Float, inout Float, Float) -> Void
  ) throws(TensorError) {
    guard second.shape == first.shape else {
      throw .incompatibleShapes(operation: "combine(_:_:with:_:)", first.shape, second.shape)
    }
    guard other.shape == first.shape || other.count == 1 else {
      throw .incompatibleShapes(operation: "combine(_:_:with:_:)", first.shape, other.shape)
    }
    let broadcast = other.count == 1 && first.count != 1
    first.storage.withUnsafeMutableBufferPointer { a in
      second.storage.withUnsafeMutableBufferPointer { b in
        other.storage.withUnsafeBufferPointer { x in
          if broadcast {
            let value = x[0]
            for i in a.indices { operation(&a[i], &b[i], value) }
          } else {
            for i in a.indices { operation(&a[i], &b[i], x[i]) }
          }
        }
      }
    }
  }

  /// Adds `rhs` to `lhs` elementwise, in place.
  ///
  /// - Throws: `TensorError.incompatibleShapes` unless `rhs` has `lhs`'s shape or is a scalar.
  @inlinable
  public static func += (lhs: inout Tensor, rhs: Tensor) throws(TensorError) {
    try lhs.combine(with: rhs, +)
  }

  /// Subtracts `rhs` from `lhs` elementwise, in place.
  ///
  /// - Throws: `TensorError.incompatibleShapes` unless `rhs` has `lhs`'s shape or is a scalar.
  @inlinable
  public static func -= (lhs: inout Tensor, rhs: Tensor) throws(TensorError) {
    try lhs.combine(with: rhs, -)
  }

  /// Multiplies every element of `lhs` by `rhs`, in place.
  @inlinable
  public static func *= (lhs: inout Tensor, rhs: Float) {
    lhs.storage.withUnsafeMutableBufferPointer { out in
      for i in out.indices { out[i] *= rhs }
    }
  }
}

/// The rectified linear unit: `max(x, 0)` for each element, as `jax.nn.relu`.
@inlinable
public func relu(_ x: Tensor) -> Tensor {
  x.map { $0 > 0 ? $0 : 0 }
}
