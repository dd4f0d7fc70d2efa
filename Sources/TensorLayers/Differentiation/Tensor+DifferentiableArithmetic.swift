import _Differentiation

// The differentiable operations between tensors. They broadcast as the throwing operators do
// and defer their errors (see `withDeferredErrors(_:)`): differentiable code cannot throw.

extension Tensor {
  /// `operation` elementwise, broadcasting; on shapes that do not broadcast, defers the error
  /// and returns the placeholder.
  @inline(__always)
  func deferring(_ other: Tensor, _ name: String, _ operation: (Float, Float) -> Float) -> Tensor {
    do {
      return try Tensor.broadcasting(self, other, name, operation)
    } catch {
      deferError(error)
      return .placeholder
    }
  }

  /// `operation` elementwise between tensors whose shapes are known to broadcast (a failure
  /// is deferred, as any).
  @inline(__always)
  static func broadcastingChecked(_ lhs: Tensor, _ rhs: Tensor, _ operation: (Float, Float) -> Float) -> Tensor {
    do {
      return try broadcasting(lhs, rhs, "gradient", operation)
    } catch {
      deferError(error)
      return .placeholder
    }
  }

  /// The elementwise sum, broadcasting as NumPy does: the differentiable form of `+`.
  ///
  /// On shapes that do not broadcast it defers `TensorError.incompatibleShapes` to the
  /// enclosing `withDeferredErrors(_:)` or `valueWithGradient` and returns an empty tensor.
  ///
  /// - Complexity: O(*n*) in the size of the result.
  @differentiable(reverse)
  public func adding(_ other: Tensor) -> Tensor { deferring(other, "adding(_:)", +) }

  /// The elementwise difference, broadcasting: the differentiable form of `-`.
  ///
  /// Shape errors are deferred, as `adding(_:)` defers them.
  @differentiable(reverse)
  public func subtracting(_ other: Tensor) -> Tensor { deferring(other, "subtracting(_:)", -) }

  /// The elementwise product, broadcasting: the differentiable form of `*`.
  ///
  /// Shape errors are deferred, as `adding(_:)` defers them.
  @differentiable(reverse)
  public func multiplied(by other: Tensor) -> Tensor { deferring(other, "multiplied(by:)", *) }

  /// The elementwise quotient, broadcasting: the differentiable form of `/`.
  ///
  /// Shape errors are deferred, as `adding(_:)` defers them.
  @differentiable(reverse)
  public func divided(by other: Tensor) -> Tensor { deferring(other, "divided(by:)", /) }

  @derivative(of: adding)
  @usableFromInline
  func _vjpAdding(_ other: Tensor) -> (value: Tensor, pullback: (TangentVector) -> (TangentVector, TangentVector)) {
    let value = adding(other)
    let (lhsShape, rhsShape, shape) = (self.shape, other.shape, value.shape)
    return (value, { gradient in
      guard let g = gradient.tensor, g.shape == shape else { return (.zero, .zero) }
      return (TangentVector(Tensor.unbroadcast(g, to: lhsShape)), TangentVector(Tensor.unbroadcast(g, to: rhsShape)))
    })
  }

  @derivative(of: subtracting)
  @usableFromInline
  func _vjpSubtracting(_ other: Tensor) -> (value: Tensor, pullback: (TangentVector) -> (TangentVector, TangentVector)) {
    let value = subtracting(other)
    let (lhsShape, rhsShape, shape) = (self.shape, other.shape, value.shape)
    return (value, { gradient in
      guard let g = gradient.tensor, g.shape == shape else { return (.zero, .zero) }
      return (TangentVector(Tensor.unbroadcast(g, to: lhsShape)), TangentVector(Tensor.unbroadcast(-g, to: rhsShape)))
    })
  }

  @derivative(of: multiplied)
  @usableFromInline
  func _vjpMultiplied(by other: Tensor) -> (value: Tensor, pullback: (TangentVector) -> (TangentVector, TangentVector)) {
    let value = multiplied(by: other)
    let shape = value.shape
    return (value, { [self] gradient in
      guard let g = gradient.tensor, g.shape == shape else { return (.zero, .zero) }
      return (
        TangentVector(Tensor.unbroadcast(Tensor.broadcastingChecked(g, other, *), to: self.shape)),
        TangentVector(Tensor.unbroadcast(Tensor.broadcastingChecked(g, self, *), to: other.shape))
      )
    })
  }

  @derivative(of: divided)
  @usableFromInline
  func _vjpDivided(by other: Tensor) -> (value: Tensor, pullback: (TangentVector) -> (TangentVector, TangentVector)) {
    let value = divided(by: other)
    let shape = value.shape
    return (value, { [self] gradient in
      guard let g = gradient.tensor, g.shape == shape else { return (.zero, .zero) }
      // d(a / b)/db = −(a / b) / b.
      let quotientOverDivisor = Tensor.broadcastingChecked(value, other, /)
      return (
        TangentVector(Tensor.unbroadcast(Tensor.broadcastingChecked(g, other, /), to: self.shape)),
        TangentVector(Tensor.unbroadcast(Tensor.broadcastingChecked(-g, quotientOverDivisor, *), to: other.shape))
      )
    })
  }
}

// The derivatives of the operators with a scalar, which never fail.
extension Tensor {
  @derivative(of: +)
  @usableFromInline
  static func _vjpAdd(lhs: Tensor, rhs: Float) -> (value: Tensor, pullback: (TangentVector) -> (TangentVector, Float)) {
    (lhs + rhs, { g in (g, g.tensor?.sum() ?? 0) })
  }

  @derivative(of: +)
  @usableFromInline
  static func _vjpAdd(lhs: Float, rhs: Tensor) -> (value: Tensor, pullback: (TangentVector) -> (Float, TangentVector)) {
    (lhs + rhs, { g in (g.tensor?.sum() ?? 0, g) })
  }

  @derivative(of: -)
  @usableFromInline
  static func _vjpSubtract(lhs: Tensor, rhs: Float) -> (value: Tensor, pullback: (TangentVector) -> (TangentVector, Float)) {
    (lhs - rhs, { g in (g, -(g.tensor?.sum() ?? 0)) })
  }

  @derivative(of: -)
  @usableFromInline
  static func _vjpSubtract(lhs: Float, rhs: Tensor) -> (value: Tensor, pullback: (TangentVector) -> (Float, TangentVector)) {
    (lhs - rhs, { g in (g.tensor?.sum() ?? 0, TangentVector(zero: ()) - g) })
  }

  @derivative(of: *)
  @usableFromInline
  static func _vjpMultiply(lhs: Tensor, rhs: Float) -> (value: Tensor, pullback: (TangentVector) -> (TangentVector, Float)) {
    (lhs * rhs, { g in
      guard let g = g.tensor, g.shape == lhs.shape else { return (.zero, 0) }
      return (TangentVector(g * rhs), dot(g, lhs))
    })
  }

  @derivative(of: *)
  @usableFromInline
  static func _vjpMultiply(lhs: Float, rhs: Tensor) -> (value: Tensor, pullback: (TangentVector) -> (Float, TangentVector)) {
    (lhs * rhs, { g in
      guard let g = g.tensor, g.shape == rhs.shape else { return (0, .zero) }
      return (dot(g, rhs), TangentVector(lhs * g))
    })
  }

  @derivative(of: /)
  @usableFromInline
  static func _vjpDivide(lhs: Tensor, rhs: Float) -> (value: Tensor, pullback: (TangentVector) -> (TangentVector, Float)) {
    let value = lhs / rhs
    return (value, { g in
      guard let g = g.tensor, g.shape == lhs.shape else { return (.zero, 0) }
      return (TangentVector(g / rhs), -dot(g, value) / rhs)
    })
  }

  @derivative(of: -)
  @usableFromInline
  static func _vjpNegate(operand: Tensor) -> (value: Tensor, pullback: (TangentVector) -> TangentVector) {
    (-operand, { g in TangentVector(zero: ()) - g })
  }

  /// The sum of the elementwise products of two tensors of one shape.
  static func dot(_ a: Tensor, _ b: Tensor) -> Float {
    var sum: Float = 0
    a.storage.withUnsafeBufferPointer { a in
      b.storage.withUnsafeBufferPointer { b in
        for i in a.indices { sum += a[i] * b[i] }
      }
    }
    return sum
  }
}
