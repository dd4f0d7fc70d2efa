import _Differentiation

extension ReLU {
  /// `relu(x)`, differentiable.
  @differentiable(reverse)
  public func forward(_ x: Tensor) -> Tensor { relu(x) }
}
