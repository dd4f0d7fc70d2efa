import _Differentiation
import ExplicitState
import RandomKeys

/// A fully connected layer, `y = x @ weight + bias`, initialized as Inox's `nn.Linear`.
///
/// The weight has shape `[inFeatures, outFeatures]` and is drawn uniformly from
/// `±1/√inFeatures` with the given key; the bias starts at zero. The same key gives the same
/// weights as Inox.
public struct Linear: Sendable, Equatable, Differentiable {
  /// The weight, of shape `[inFeatures, outFeatures]`.
  public var weight: Tensor
  /// The bias, of shape `[outFeatures]`, or `nil` for none.
  public var bias: Tensor?

  /// Creates a layer with weights drawn from `key`, as Inox does.
  ///
  /// - Throws: `TensorError.invalidShape` for a negative feature count.
  public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, key: RandomKey) throws(TensorError) {
    let scale = 1 / Float(inFeatures).squareRoot()
    weight = try .uniform([inFeatures, outFeatures], key: key, minimum: -scale, maximum: scale)
    self.bias = bias ? try .zeros([outFeatures]) : nil
  }

  /// Creates a layer from its parameters.
  ///
  /// - Throws: `TensorError.incompatibleShapes` unless `weight` is a matrix and `bias` a
  ///   vector as long as its second dimension.
  public init(weight: Tensor, bias: Tensor?) throws(TensorError) {
    guard weight.rank == 2, bias.map({ $0.shape == [weight.shape[1]] }) ?? true else {
      throw .incompatibleShapes(operation: "Linear", weight.shape, bias?.shape ?? [])
    }
    self.weight = weight
    self.bias = bias
  }

  /// Applies the layer to `x`, of shape `[inFeatures]` or `[batch, inFeatures]`.
  ///
  /// - Throws: `TensorError.incompatibleShapes` when the last dimension of `x` is not
  ///   `inFeatures`.
  public func callAsFunction(_ x: Tensor) throws(TensorError) -> Tensor {
    let y = try matmul(x, weight)
    guard let bias else { return y }
    return try y + bias
  }
}

extension Linear: StateVisitable {
  /// Visits the parameters, `.weight` and (if any) `.bias`; a linear layer holds no state.
  @inlinable
  public mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor) {
    visitor.visitParameter("weight", &weight)
    if var bias {
      visitor.visitParameter("bias", &bias)
      self.bias = bias
    }
  }
}
