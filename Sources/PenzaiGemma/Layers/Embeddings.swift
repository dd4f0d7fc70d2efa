import DataEffects
import ExplicitState
import TensorLayers

/// The tag under which the shared embedding table is a constant side input: Penzai's
/// `SharedParamTag("embedder.embeddings")`.
public let sharedEmbeddingsTag = SideInputTag.named(sharedEmbeddingsName)

/// Penzai's name of the shared embedding table, as a parameter and as a shared side input.
let sharedEmbeddingsName = "embedder.embeddings"

/// A table of token embeddings, `[vocabulary, embedding]`, shared between the input and the
/// output: Penzai's `EmbeddingTable`, whose `embeddings` look the shared table up, as
/// `mark_shareable` and `attach_shared_parameters` arrange in Penzai.
public struct EmbeddingTable: StateVisitable, Sendable {
  /// The request for the shared table.
  public var embeddings: SideInputEffect<Tensor>

  /// A table read from the side input `sharedEmbeddingsTag`.
  public init() {
    embeddings = .request(sharedEmbeddingsTag)
  }

  /// Visits `.embeddings`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("embeddings", &embeddings)
  }
}

/// Looks tokens up in the embedding table: `[Int]` of *s* tokens to `[s, embedding]`.
/// Penzai's `EmbeddingLookup`.
public struct EmbeddingLookup: Layer {
  /// The shared table.
  public var table = EmbeddingTable()

  /// A lookup in the shared table.
  public init() {}

  /// The tokens' embeddings.
  ///
  /// - Throws: `TensorError.indexOutOfRange` for a token outside the vocabulary.
  public func callAsFunction(_ tokens: [Int]) throws -> Tensor {
    try table.embeddings.ask().rows(at: tokens)
  }

  /// Visits `.table`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("table", &table)
  }
}

/// Decodes embeddings into logits with the same table: `[s, embedding]` to `[s, vocabulary]`,
/// `x · tableᵀ`. Penzai's `EmbeddingDecode`.
public struct EmbeddingDecode: Layer {
  /// The shared table.
  public var table = EmbeddingTable()

  /// A decoder through the shared table.
  public init() {}

  /// The logits.
  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    try matmul(x, try table.embeddings.ask().transposed())
  }

  /// Visits `.table`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("table", &table)
  }
}
