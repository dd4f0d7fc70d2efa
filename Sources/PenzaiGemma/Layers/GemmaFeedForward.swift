import DataEffects
import ExplicitState
import TensorLayers

/// Gemma's gated-GELU feed-forward block: Penzai's `GemmaFeedForward`,
/// `(gelu(x · gating) ⊙ (x · value)) · out`, with JAX's tanh approximation of GELU.
///
/// Axis orders: `gating` and `value` are `[embedding, neurons]`, `out` is `[neurons,
/// embedding]`.
public struct GemmaFeedForward: Layer {
  /// `[embedding, neurons]`, named `PREFIX.mlp.gating_linear.weights`.
  public var gating: NamedParameter
  /// `[embedding, neurons]`, named `PREFIX.mlp.value_linear.weights`.
  public var value: NamedParameter
  /// `[neurons, embedding]`, named `PREFIX.mlp.out_linear.weights`.
  public var out: NamedParameter

  /// A block with these weights.
  public init(gating: NamedParameter, value: NamedParameter, out: NamedParameter) {
    self.gating = gating
    self.value = value
    self.out = out
  }

  /// The block's output for `x`, `[s, embedding]`.
  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    let gate = gelu(try matmul(x, gating.value))
    return try matmul(try gate * matmul(x, value.value), out.value)
  }

  /// Visits the weights.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("gating_linear", &gating)
    visitor.visit("value_linear", &value)
    visitor.visit("out_linear", &out)
  }
}

/// A decoder block: Penzai's `GemmaTransformerBlock`, a `Sequential` of two residual
/// branches, `[RMSLayerNorm, GemmaAttention]` and `[RMSLayerNorm, GemmaFeedForward]`.
public struct GemmaTransformerBlock: Layer {
  /// The two residual branches.
  public var sublayers: [AnyLayer]

  /// Block `index` of a model of `configuration`, with zero weights named as Penzai names
  /// them (`block_0.attn.query.weights`, ...).
  public init(index: Int, configuration: GemmaConfiguration) throws {
    let prefix = "block_\(index)."
    let e = configuration.embeddingDimension, h = configuration.headCount
    let p = configuration.projectionDimension, n = configuration.hiddenDimension
    func parameter(_ shape: [Int], _ name: String) throws -> NamedParameter {
      NamedParameter(try Tensor.zeros(shape), name: prefix + name)
    }
    let attention = GemmaAttention(
      query: try parameter([e, h, p], "attn.query.weights"), key: try parameter([e, h, p], "attn.key.weights"),
      value: try parameter([e, h, p], "attn.value.weights"), output: try parameter([h, p, e], "attn.output.weights"))
    let feedForward = GemmaFeedForward(
      gating: try parameter([e, n], "mlp.gating_linear.weights"), value: try parameter([e, n], "mlp.value_linear.weights"),
      out: try parameter([n, e], "mlp.out_linear.weights"))
    sublayers = [
      AnyLayer(Residual(Sequential([AnyLayer(RMSLayerNorm(scale: try parameter([e], "pre_attention_norm.scale.weights"))), AnyLayer(attention)]))),
      AnyLayer(Residual(Sequential([AnyLayer(RMSLayerNorm(scale: try parameter([e], "pre_ffw_norm.scale.weights"))), AnyLayer(feedForward)]))),
    ]
  }

  /// Runs the branches in order.
  public func callAsFunction(_ input: any Sendable) throws -> any Sendable {
    var value = input
    for layer in sublayers { value = try layer(value) }
    return value
  }

  /// Visits `.sublayers`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("sublayers", &sublayers)
  }
}
