import RandomKeys
import _Differentiation

extension Dropout {
  /// Dropout of `x` with a mask drawn from `key`, differentiable with respect to `x`: the
  /// gradient passes where elements were kept, scaled by `1 / (1 − rate)`.
  ///
  /// A failed draw is deferred to the enclosing `withDeferredErrors(_:)` or
  /// `valueWithGradient`.
  ///
  /// - Complexity: O(*n*) in the size of `x`.
  @differentiable(reverse, wrt: (self, x))
  public func forward(_ x: Tensor, key: RandomKey) -> Tensor {
    guard withoutDerivative(at: isTraining && rate > 0) else { return x }
    guard let keep = withoutDerivative(at: mask(like: x, key: key)) else { return .placeholder }
    return x.masked(keep, scale: 1 - rate)
  }

  /// The mask of kept elements, or `nil` after deferring the error.
  func mask(like x: Tensor, key: RandomKey) -> [Bool]? {
    do {
      return try key.bernoulli(probability: 1 - rate, shape: x.shape)
    } catch {
      deferError(TensorError.random(error))
      return nil
    }
  }
}

extension Tensor {
  /// `x / scale` where `keep` holds, else 0, as Inox's dropout computes it.
  @differentiable(reverse, wrt: self)
  func masked(_ keep: [Bool], scale: Float) -> Tensor {
    var result = self
    result.storage.withUnsafeMutableBufferPointer { out in
      for i in out.indices { out[i] = keep[i] ? out[i] / scale : 0 }
    }
    return result
  }

  @derivative(of: masked, wrt: self)
  func _vjpMasked(_ keep: [Bool], scale: Float) -> (value: Tensor, pullback: (TangentVector) -> TangentVector) {
    let value = masked(keep, scale: scale)
    return (value, { gradient in
      guard let g = gradient.tensor, g.shape == value.shape else { return .zero }
      return TangentVector(g.masked(keep, scale: scale))
    })
  }
}
