import _Differentiation

extension Linear {
  /// `x @ weight + bias`, differentiable with respect to the layer and `x`: the form of the
  /// call that `valueWithGradient` differentiates.
  ///
  /// When the last dimension of `x` is not `inFeatures`, the error is deferred to the
  /// enclosing `withDeferredErrors(_:)` or `valueWithGradient` (see there).
  ///
  /// - Complexity: O(*b* · *in* · *out*) for `b` rows.
  @differentiable(reverse)
  public func forward(_ x: Tensor) -> Tensor {
    let y = x.matrixProduct(with: weight)
    guard let bias else { return y }
    return y.adding(bias)
  }
}
