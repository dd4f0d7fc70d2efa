extension Tensor {
  /// The sum of all elements.
  ///
  /// - Complexity: O(*n*).
  public func sum() -> Float {
    scalars.reduce(0, +)
  }

  /// The mean of all elements; NaN for an empty tensor, as in NumPy.
  ///
  /// - Complexity: O(*n*).
  public func mean() -> Float {
    sum() / Float(count)
  }

  /// The sums along `axis`, which is removed from the shape.
  ///
  /// - Throws: `TensorError.invalidAxis` for an axis outside `0..<rank`.
  /// - Complexity: O(*n*).
  public func sum(alongAxis axis: Int) throws(TensorError) -> Tensor {
    guard axis >= 0, axis < rank else { throw .invalidAxis(axis, rank: rank) }
    let outer = shape[..<axis].reduce(1, *)
    let length = shape[axis]
    let inner = shape[(axis + 1)...].reduce(1, *)
    if outer == 1, inner > 0 {
      // Along the first axis: whole rows at a time.
      var newShape = shape
      newShape.remove(at: axis)
      return Tensor(uncheckedShape: newShape, scalars: storage.withUnsafeBufferPointer { columnSums($0, columns: inner) })
    }
    var result = [Float](repeating: 0, count: outer * inner)
    result.withUnsafeMutableBufferPointer { out in
      storage.withUnsafeBufferPointer { source in
        for o in 0..<outer {
          for a in 0..<length {
            let base = (o * length + a) * inner
            for i in 0..<inner { out[o * inner + i] += source[base + i] }
          }
        }
      }
    }
    var newShape = shape
    newShape.remove(at: axis)
    return Tensor(uncheckedShape: newShape, scalars: result)
  }

  /// The means along `axis`, which is removed from the shape.
  ///
  /// - Throws: `TensorError.invalidAxis` for an axis outside `0..<rank`.
  /// - Complexity: O(*n*).
  public func mean(alongAxis axis: Int) throws(TensorError) -> Tensor {
    let sums = try sum(alongAxis: axis)
    return sums / Float(shape[axis])
  }

  /// The population variances along `axis` (`jnp.var`), which is removed from the shape.
  ///
  /// - Throws: `TensorError.invalidAxis` for an axis outside `0..<rank`.
  /// - Complexity: O(*n*).
  public func variance(alongAxis axis: Int) throws(TensorError) -> Tensor {
    let means = try mean(alongAxis: axis)
    var expanded = shape
    expanded[axis] = 1
    let centered = try self - Tensor(uncheckedShape: expanded, scalars: means.scalars)
    return try centered.squared().mean(alongAxis: axis)
  }
}
