import Checkpoints
import DataEffects
import ExplicitState
import TensorLayers

/// The inputs of a Gemma call: Penzai's `GemmaInputs`.
public struct GemmaInputs: Sendable {
  /// The tokens, each in `0..<vocabularySize`.
  public var tokens: [Int]
  /// Each token's position, for the rotary embeddings.
  public var positions: [Int]
  /// `[tokens, keys]`: nonzero where a token may attend to a key.
  public var attentionMask: Tensor

  /// Inputs from their parts.
  public init(tokens: [Int], positions: [Int], attentionMask: Tensor) {
    self.tokens = tokens
    self.positions = positions
    self.attentionMask = attentionMask
  }

  /// One unpadded sequence: positions `0..<n` and the causal mask, as Penzai's
  /// `GemmaInputs.from_basic_segments`.
  public static func basicSegment(_ tokens: [Int]) throws -> GemmaInputs {
    GemmaInputs(tokens: tokens, positions: Array(tokens.indices), attentionMask: try causalMask(queries: Array(tokens.indices), keys: tokens.count))
  }
}

/// The mask `[queries.count, keys]` that lets the token at position `queries[i]` attend to the
/// keys at positions up to its own: Penzai's `positions >= arange("kv_seq", keys)`.
public func causalMask(queries: [Int], keys: Int) throws -> Tensor {
  var scalars = [Float](repeating: 0, count: queries.count * keys)
  for (row, position) in queries.enumerated() {
    for key in 0..<min(keys, position + 1) { scalars[row * keys + key] = 1 }
  }
  return try Tensor(shape: [queries.count, keys], scalars: scalars)
}

/// Penzai V1's Gemma decoder: `GemmaTransformer`, with its structure and names.
///
/// The body is what `GemmaTransformer.from_config` builds: a `WithSideInputsFromInputTuple`
/// for the positions (`token_positions`) and the mask (`attn_mask`), around a
/// `WithConstantSideInputs` holding the embedding table that the lookup and the decoding share
/// (Penzai's `attach_shared_parameters`), around the `Sequential` of the embedding lookup, the
/// rescaling by √embedding, the decoder blocks, the final norm and the decoding.
///
/// ```swift
/// let model = try GemmaTransformer(configuration: .tiny).loadingPenzaiParameters(from: path)
/// let logits = try model(.basicSegment([2, 17, 99]))     // Float[3, 256]
/// ```
public struct GemmaTransformer: Layer {
  /// The sizes.
  public let configuration: GemmaConfiguration
  /// The handled model.
  public var body: WithSideInputsFromInputTuple<WithConstantSideInputs<Sequential>>

  /// A model of `configuration` with zero weights, to be loaded (see
  /// `loadingPenzaiParameters(from:)`).
  public init(configuration: GemmaConfiguration) throws {
    self.configuration = configuration
    var sublayers: [AnyLayer] = [
      AnyLayer(EmbeddingLookup()), AnyLayer(ConstantRescale(by: Float(configuration.embeddingDimension).squareRoot())),
    ]
    for index in 0..<configuration.blockCount {
      sublayers.append(AnyLayer(try GemmaTransformerBlock(index: index, configuration: configuration)))
    }
    sublayers.append(AnyLayer(RMSLayerNorm(scale: NamedParameter(try Tensor.zeros([configuration.embeddingDimension]), name: "final_norm.scale.weights"))))
    sublayers.append(AnyLayer(EmbeddingDecode()))
    let table = try Tensor.zeros([configuration.vocabularySize, configuration.embeddingDimension])
    let shared = try WithConstantSideInputs.handling(Sequential(sublayers), sideInputs: [sharedEmbeddingsTag: table])
    body = try WithSideInputsFromInputTuple.handling(shared, tags: [tokenPositionsTag, attentionMaskTag])
  }

  /// The logits, `[tokens, vocabulary]`.
  ///
  /// - Throws: `GemmaError.emptyPrompt`, `TensorError.indexOutOfRange` for a token outside
  ///   the vocabulary, and `GemmaError` for positions or a mask of the wrong shape.
  public func callAsFunction(_ inputs: GemmaInputs) throws -> Tensor {
    guard !inputs.tokens.isEmpty else { throw GemmaError.emptyPrompt }
    return try logits(body((inputs.tokens, [inputs.positions, inputs.attentionMask])))
  }

  /// Visits `.body`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("body", &body)
  }
}

/// `output` as the logits tensor the decoding returns.
func logits(_ output: any Sendable) throws -> Tensor {
  guard let tensor = output as? Tensor else {
    throw LayerError.inputTypeMismatch(layer: "GemmaTransformer", expected: "Tensor", found: "\(type(of: output))")
  }
  return tensor
}
