import _Differentiation

extension Linear {
  /// `x @ weight + bias`, differentiable with respect to the layer and `x`: the form of the
  /// call that `valueWithGradient` differentiates.
  ///
  /// When the last dimension of `x` is not `inFeatures`, the error is deferred to the
  /// enclosing `withDeferredErrors(_:)` or `valueWithGradient` (see there).
  ///
  /// Its derivative is the layer's own, not the composition of its operations': the weight's
  /// gradient `xᵀ · g` is read down the columns of `x` with no transpose made, and the bias's
  /// is the column sums of `g`.
  ///
  /// - Complexity: O(*b* · *in* · *out*) for `b` rows.
  @differentiable(reverse)
  public func forward(_ x: Tensor) -> Tensor {
    var y = x.matrixProduct(with: weight)
    guard let bias, y.shape.last == bias.count, bias.count > 0 else { return y }
    y.storage.withUnsafeMutableBufferPointer { out in
      bias.storage.withUnsafeBufferPointer { addRow($0, to: out) }
    }
    return y
  }

  @derivative(of: forward)
  @usableFromInline
  func _vjpForward(_ x: Tensor) -> (value: Tensor, pullback: (Tensor.TangentVector) -> (TangentVector, Tensor.TangentVector)) {
    let y = forward(x)
    return (y, { gradient in
      guard let (g2, layerGradient) = parameterGradient(x, y, gradient) else { return (zeroGradient, .zero) }
      let inputGradient = multiplyingTransposed(g2, weight)
      return (layerGradient, Tensor.TangentVector(Tensor(uncheckedShape: x.shape, scalars: inputGradient.storage)))
    })
  }

  /// The derivative with respect to the layer alone, which Swift takes where `x` is data, as
  /// the first layer's input is: it skips the product that `x`'s gradient costs.
  @derivative(of: forward, wrt: self)
  @usableFromInline
  func _vjpForwardParameters(_ x: Tensor) -> (value: Tensor, pullback: (Tensor.TangentVector) -> TangentVector) {
    let y = forward(x)
    return (y, { gradient in parameterGradient(x, y, gradient)?.1 ?? zeroGradient })
  }

  /// The zero gradient of this layer's parameters.
  var zeroGradient: TangentVector { TangentVector(weight: .zero, bias: .init(bias != nil ? .zero : nil)) }

  /// The incoming gradient as `[rows, outFeatures]`, and the gradient of the weight (`xᵀ · g`)
  /// and bias (the column sums of `g`); `nil` when the forward pass failed.
  func parameterGradient(_ x: Tensor, _ y: Tensor, _ gradient: Tensor.TangentVector) -> (Tensor, TangentVector)? {
    guard let g = gradient.tensor, g.shape == y.shape, y.count > 0, weight.rank == 2 else { return nil }
    let (inFeatures, outFeatures) = (weight.shape[0], weight.shape[1])
    let rows = x.count / inFeatures
    let x2 = Tensor(uncheckedShape: [rows, inFeatures], scalars: x.storage)
    let g2 = Tensor(uncheckedShape: [rows, outFeatures], scalars: g.storage)
    let weightGradient = Tensor.TangentVector(x2.transposedProduct(with: g2))
    guard bias != nil else { return (g2, TangentVector(weight: weightGradient, bias: .init(nil))) }
    let biasGradient = g.storage.withUnsafeBufferPointer { columnSums($0, columns: outFeatures) }
    return (g2, TangentVector(weight: weightGradient, bias: .init(Tensor.TangentVector(Tensor(uncheckedShape: [outFeatures], scalars: biasGradient)))))
  }
}
