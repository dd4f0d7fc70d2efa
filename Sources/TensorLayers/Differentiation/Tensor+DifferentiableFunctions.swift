#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Android)
  import Android
#endif
import _Differentiation
import StateKeysSupport

// Elementwise functions, reductions, shapes and the matrix product, with their derivatives.

extension Tensor {
  /// `transform` of each element, with the derivative `derivative(x, y)` of each input `x`
  /// and output `y`.
  @usableFromInline @inline(__always)
  func mapWithDerivative(
    _ transform: (Float) -> Float, derivative: @escaping (Float, Float) -> Float
  ) -> (value: Tensor, pullback: (TangentVector) -> TangentVector) {
    let value = map(transform)
    return (value, { [self] gradient in
      guard let g = gradient.tensor, g.shape == shape else { return .zero }
      var result = g
      result.storage.withUnsafeMutableBufferPointer { out in
        storage.withUnsafeBufferPointer { x in
          value.storage.withUnsafeBufferPointer { y in
            for i in out.indices { out[i] *= derivative(x[i], y[i]) }
          }
        }
      }
      return TangentVector(result)
    })
  }

  @derivative(of: squared)
  @usableFromInline
  func _vjpSquared() -> (value: Tensor, pullback: (TangentVector) -> TangentVector) {
    mapWithDerivative({ $0 * $0 }, derivative: { x, _ in 2 * x })
  }

  @derivative(of: squareRoot)
  @usableFromInline
  func _vjpSquareRoot() -> (value: Tensor, pullback: (TangentVector) -> TangentVector) {
    mapWithDerivative({ $0.squareRoot() }, derivative: { _, y in 0.5 / y })
  }

  /// eˣ of each element.
  ///
  /// - Complexity: O(*n*).
  @differentiable(reverse)
  public func exp() -> Tensor { map { expf($0) } }

  @derivative(of: exp)
  @usableFromInline
  func _vjpExp() -> (value: Tensor, pullback: (TangentVector) -> TangentVector) {
    mapWithDerivative({ expf($0) }, derivative: { _, y in y })
  }

  /// The natural logarithm of each element.
  ///
  /// - Complexity: O(*n*).
  @differentiable(reverse)
  public func log() -> Tensor { map { logf($0) } }

  @derivative(of: log)
  @usableFromInline
  func _vjpLog() -> (value: Tensor, pullback: (TangentVector) -> TangentVector) {
    mapWithDerivative({ logf($0) }, derivative: { x, _ in 1 / x })
  }
}

@derivative(of: relu)
@usableFromInline
func _vjpRelu(_ x: Tensor) -> (value: Tensor, pullback: (Tensor.TangentVector) -> Tensor.TangentVector) {
  let y = relu(x)
  return (y, { gradient in
    guard let g = gradient.tensor, g.shape == y.shape else { return .zero }
    // The gradient passes where the output is positive.
    let result = [Float](count: y.count) { out in
      g.storage.withUnsafeBufferPointer { g in
        y.storage.withUnsafeBufferPointer { y in
          for i in 0..<y.count { out[i] = y[i] > 0 ? g[i] : 0 }
        }
      }
    }
    return Tensor.TangentVector(Tensor(uncheckedShape: y.shape, scalars: result))
  })
}

/// The hyperbolic tangent of each element, as `jnp.tanh`.
///
/// - Complexity: O(*n*).
@differentiable(reverse)
public func tanh(_ x: Tensor) -> Tensor { x.map { tanhf($0) } }

@derivative(of: tanh)
@usableFromInline
func _vjpTanh(_ x: Tensor) -> (value: Tensor, pullback: (Tensor.TangentVector) -> Tensor.TangentVector) {
  x.mapWithDerivative({ tanhf($0) }, derivative: { _, y in 1 - y * y })
}

/// The logistic sigmoid of each element, `1 / (1 + e⁻ˣ)`, as `jax.nn.sigmoid`.
///
/// - Complexity: O(*n*).
@differentiable(reverse)
public func sigmoid(_ x: Tensor) -> Tensor { x.map { 1 / (1 + expf(-$0)) } }

@derivative(of: sigmoid)
@usableFromInline
func _vjpSigmoid(_ x: Tensor) -> (value: Tensor, pullback: (Tensor.TangentVector) -> Tensor.TangentVector) {
  x.mapWithDerivative({ 1 / (1 + expf(-$0)) }, derivative: { _, y in y * (1 - y) })
}

// Reductions.
extension Tensor {
  @derivative(of: sum)
  @usableFromInline
  func _vjpSum() -> (value: Float, pullback: (Float) -> TangentVector) {
    (sum(), { [shape] g in TangentVector(Tensor(uncheckedShape: shape, scalars: Array(repeating: g, count: shape.reduce(1, *)))) })
  }

  @derivative(of: mean)
  @usableFromInline
  func _vjpMean() -> (value: Float, pullback: (Float) -> TangentVector) {
    let n = Float(count)
    return (mean(), { [shape] g in
      TangentVector(Tensor(uncheckedShape: shape, scalars: Array(repeating: g / n, count: shape.reduce(1, *))))
    })
  }

  /// The sums along `axis`, which is removed from the shape: the differentiable form of
  /// `sum(alongAxis:)`.
  ///
  /// An axis outside `0..<rank` is deferred as `TensorError.invalidAxis` (see
  /// `withDeferredErrors(_:)`).
  ///
  /// - Complexity: O(*n*).
  @differentiable(reverse)
  public func sum(along axis: Int) -> Tensor {
    do {
      return try sum(alongAxis: axis)
    } catch {
      deferError(error)
      return .placeholder
    }
  }

  @derivative(of: sum(along:))
  @usableFromInline
  func _vjpSum(along axis: Int) -> (value: Tensor, pullback: (TangentVector) -> TangentVector) {
    let value = sum(along: axis)
    let shape = self.shape
    return (value, { gradient in
      guard let g = gradient.tensor, g.shape == value.shape, axis >= 0, axis < shape.count else { return .zero }
      var kept = shape
      kept[axis] = 1
      let expanded = Tensor(uncheckedShape: kept, scalars: g.storage)
      return TangentVector(Tensor.broadcastingChecked(expanded, Tensor(uncheckedShape: shape, scalars: Array(repeating: 0, count: shape.reduce(1, *))), +))
    })
  }

  /// The means along `axis`, which is removed from the shape: the differentiable form of
  /// `mean(alongAxis:)`, with the same arithmetic.
  ///
  /// An invalid axis is deferred, as `sum(along:)` defers it.
  ///
  /// - Complexity: O(*n*).
  @differentiable(reverse)
  public func mean(along axis: Int) -> Tensor {
    sum(along: axis) / Float(withoutDerivative(at: axis >= 0 && axis < rank ? shape[axis] : 1))
  }

  /// The population variances along `axis` (`jnp.var`), which is removed from the shape: the
  /// differentiable form of `variance(alongAxis:)`, with the same arithmetic.
  ///
  /// An invalid axis is deferred, as `sum(along:)` defers it.
  ///
  /// - Complexity: O(*n*).
  @differentiable(reverse)
  public func variance(along axis: Int) -> Tensor {
    let means = mean(along: axis)
    let kept = withoutDerivative(at: keptShape(removing: axis))
    return subtracting(means.reshaped(as: kept)).squared().mean(along: axis)
  }

  /// The shape with `axis` set to 1, or the shape itself for an invalid axis.
  func keptShape(removing axis: Int) -> [Int] {
    var kept = shape
    if axis >= 0, axis < rank { kept[axis] = 1 }
    return kept
  }
}

// Shapes.
extension Tensor {
  /// The tensor with a new shape of the same element count, one dimension of which may be
  /// `-1`: the differentiable form of `reshaped(to:)`.
  ///
  /// A shape of another count is deferred as `TensorError.scalarCountMismatch` (see
  /// `withDeferredErrors(_:)`).
  ///
  /// - Complexity: O(1) when the elements are not shared, else O(*n*).
  @differentiable(reverse)
  public func reshaped(as newShape: [Int]) -> Tensor {
    do {
      return try reshaped(to: newShape)
    } catch {
      deferError(error)
      return .placeholder
    }
  }

  @derivative(of: reshaped(as:))
  @usableFromInline
  func _vjpReshaped(as newShape: [Int]) -> (value: Tensor, pullback: (TangentVector) -> TangentVector) {
    let value = reshaped(as: newShape)
    let shape = self.shape
    return (value, { gradient in
      guard let g = gradient.tensor, g.shape == value.shape, g.count == shape.reduce(1, *) else { return .zero }
      return TangentVector(Tensor(uncheckedShape: shape, scalars: g.storage))
    })
  }

  /// The matrix with rows and columns exchanged; a tensor of rank 0 or 1 is its own
  /// transpose, as in NumPy.
  ///
  /// A rank above 2 is deferred as `TensorError.incompatibleShapes` (see
  /// `withDeferredErrors(_:)`).
  ///
  /// - Complexity: O(*n*).
  @differentiable(reverse)
  public func transposed() -> Tensor {
    guard rank == 2 else {
      if rank > 2 { deferError(TensorError.incompatibleShapes(operation: "transposed()", shape, [])) }
      return rank > 2 ? .placeholder : self
    }
    return transposedMatrix()
  }

  @derivative(of: transposed)
  @usableFromInline
  func _vjpTransposed() -> (value: Tensor, pullback: (TangentVector) -> TangentVector) {
    let value = transposed()
    return (value, { gradient in
      guard let g = gradient.tensor, g.shape == value.shape else { return .zero }
      return TangentVector(g.transposed())
    })
  }

  /// The transpose of a matrix.
  func transposedMatrix() -> Tensor {
    let (rows, columns) = (shape[0], shape[1])
    let result = [Float](count: count) { out in
      storage.withUnsafeBufferPointer { source in
        for i in 0..<rows {
          for j in 0..<columns { out[j * rows + i] = source[i * columns + j] }
        }
      }
    }
    return Tensor(uncheckedShape: [columns, rows], scalars: result)
  }

  /// The matrix product `self @ other`, for ranks 1 and 2: the differentiable form of
  /// `matmul(_:_:)`.
  ///
  /// Shape errors are deferred as `TensorError.incompatibleShapes` (see
  /// `withDeferredErrors(_:)`).
  ///
  /// - Complexity: O(*m* · *k* · *n*).
  @differentiable(reverse)
  public func matrixProduct(with other: Tensor) -> Tensor {
    do {
      return try matmul(self, other)
    } catch {
      deferError(error)
      return .placeholder
    }
  }

  @derivative(of: matrixProduct)
  @usableFromInline
  func _vjpMatrixProduct(with other: Tensor) -> (value: Tensor, pullback: (TangentVector) -> (TangentVector, TangentVector)) {
    let value = matrixProduct(with: other)
    return (value, { [self] gradient in
      guard let g = gradient.tensor, g.shape == value.shape, !value.shape.contains(0) || count == 0 else { return (.zero, .zero) }
      let a = rank == 1 ? Tensor(uncheckedShape: [1, count], scalars: storage) : self
      let b = other.rank == 1 ? Tensor(uncheckedShape: [other.count, 1], scalars: other.storage) : other
      let g2 = Tensor(uncheckedShape: [a.shape[0], b.shape[1]], scalars: g.storage)
      // dA = G · Bᵀ (B transposed once), dB = Aᵀ · G (A read down its columns, no transpose).
      let da = multiplyingTransposed(g2, b)
      let db = a.transposedProduct(with: g2)
      return (
        TangentVector(Tensor(uncheckedShape: shape, scalars: da.storage)),
        TangentVector(Tensor(uncheckedShape: other.shape, scalars: db.storage))
      )
    })
  }
}

/// `a · bᵀ` for matrices `a` (`m` × `k`) and `b` (`n` × `k`).
func multiplyingTransposed(_ a: Tensor, _ b: Tensor) -> Tensor {
  a.matrixProduct(with: b.transposedMatrix())
}

