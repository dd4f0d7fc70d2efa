#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Android)
  import Android
#endif

// What a transformer needs beyond an MLP: gathering rows (an embedding lookup), the softmax,
// GELU, sines and cosines (rotary position embeddings) and reciprocal square roots (RMS
// normalization). Each computes as JAX does, in `Float`.

extension Tensor {
  /// The rows of the tensor at `indices`, in that order: an embedding lookup,
  /// `table[indices]` in NumPy. The result's shape is `[indices.count] + shape[1...]`.
  ///
  /// ```swift
  /// let table = try Tensor(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21])
  /// let rows = try table.rows(at: [2, 0])     // [[20, 21], [0, 1]]
  /// ```
  ///
  /// - Throws: `TensorError.indexOutOfRange` for an index outside `0..<shape[0]`, and
  ///   `TensorError.invalidShape` for a scalar.
  /// - Complexity: O(*k* · *r*) for *k* indices of rows of *r* elements.
  public func rows(at indices: [Int]) throws(TensorError) -> Tensor {
    guard let rowCount = shape.first else { throw .invalidShape(shape) }
    let width = rowCount == 0 ? 0 : count / rowCount
    for (position, index) in indices.enumerated() where !(0..<rowCount).contains(index) {
      throw .indexOutOfRange(position: position, index: index, count: rowCount)
    }
    var result = [Float]()
    result.reserveCapacity(indices.count * width)
    storage.withUnsafeBufferPointer { table in
      for index in indices { result.append(contentsOf: table[(index * width)..<((index + 1) * width)]) }
    }
    return Tensor(uncheckedShape: [indices.count] + shape.dropFirst(), scalars: result)
  }

  /// Writes `rows` over this tensor's rows from `start` on, in place when the storage is not
  /// shared: `jax.lax.dynamic_update_slice` along the first axis, as a key-value cache is
  /// filled.
  ///
  /// - Throws: `TensorError.incompatibleShapes` when the rows' shape past the first axis
  ///   differs, or they do not fit from `start` on; the tensor is then unchanged.
  /// - Complexity: O(*k*) for *k* elements written, plus a copy of the storage if it is shared.
  public mutating func replaceRows(startingAt start: Int, with rows: Tensor) throws(TensorError) {
    guard rank >= 1, rows.rank == rank, rows.shape.dropFirst() == shape.dropFirst(), start >= 0,
      start + rows.shape[0] <= shape[0]
    else { throw .incompatibleShapes(operation: "replaceRows(startingAt: \(start))", shape, rows.shape) }
    let width = shape[0] == 0 ? 0 : count / shape[0]
    storage.withUnsafeMutableBufferPointer { out in
      rows.storage.withUnsafeBufferPointer { source in
        for i in source.indices { out[start * width + i] = source[i] }
      }
    }
  }

  /// sin *x* of each element.
  ///
  /// - Complexity: O(*n*).
  public func sin() -> Tensor { map { sinf($0) } }

  /// cos *x* of each element.
  ///
  /// - Complexity: O(*n*).
  public func cos() -> Tensor { map { cosf($0) } }

  /// 1 / √*x* of each element, as `jax.lax.rsqrt`.
  ///
  /// - Complexity: O(*n*).
  public func reciprocalSquareRoot() -> Tensor { map { 1 / $0.squareRoot() } }
}

/// The softmax along the last axis, as `jax.nn.softmax`: `exp(x − max x) / Σ exp(x − max x)`
/// for each row. A row whose entries are all masked with a very negative value, as
/// attention masks do, stays finite.
///
/// - Complexity: O(*n*).
public func softmax(_ x: Tensor) -> Tensor {
  guard let width = x.shape.last, width > 0 else { return x }
  var result = x.storage
  result.withUnsafeMutableBufferPointer { values in
    guard let base = values.baseAddress else { return }
    var start = 0
    while start < values.count {
      softmaxRow(base + start, count: width)
      start += width
    }
  }
  return Tensor(uncheckedShape: x.shape, scalars: result)
}

/// Replaces the `count` values at `row` with their softmax: the kernel of `softmax(_:)`, for
/// the package's attention.
@inlinable
package func softmaxRow(_ row: UnsafeMutablePointer<Float>, count: Int) {
  var maximum = -Float.infinity
  for i in 0..<count { maximum = max(maximum, row[i]) }
  var sum: Float = 0
  for i in 0..<count {
    row[i] = expf(row[i] - maximum)
    sum += row[i]
  }
  let scale = 1 / sum
  for i in 0..<count { row[i] *= scale }
}

/// GELU with JAX's default tanh approximation (`jax.nn.gelu(x, approximate=True)`):
/// `x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³)))`.
///
/// - Complexity: O(*n*).
public func gelu(_ x: Tensor) -> Tensor {
  x.map { value in
    let inner = 0.797_884_56 * (value + 0.044715 * value * value * value)
    return 0.5 * value * (1 + tanhf(inner))
  }
}
