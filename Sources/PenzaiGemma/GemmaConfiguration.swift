/// The sizes of a Gemma model: Penzai V1's `GemmaTransformerConfig`, in `Float`.
///
/// Every named axis of Penzai's arrays is a positional axis here, in an order each layer
/// documents; `MigratingFromPenzai.md` lists them all.
public struct GemmaConfiguration: Sendable, Hashable {
  /// Attention heads (Penzai's `num_heads`, the "heads" axis).
  public var headCount: Int
  /// The embedding and the residual stream (the "embedding" axis).
  public var embeddingDimension: Int
  /// The queries', keys' and values' projections (the "projection" axis).
  public var projectionDimension: Int
  /// The feed-forward block's hidden layer (the "neurons" axis).
  public var hiddenDimension: Int
  /// Decoder blocks.
  public var blockCount: Int
  /// Tokens in the vocabulary (the "vocabulary" axis).
  public var vocabularySize: Int

  /// A configuration; every size must be positive and the projection even (rotary embeddings
  /// pair its halves).
  public init(
    headCount: Int, embeddingDimension: Int, projectionDimension: Int, hiddenDimension: Int, blockCount: Int,
    vocabularySize: Int
  ) {
    self.headCount = headCount
    self.embeddingDimension = embeddingDimension
    self.projectionDimension = projectionDimension
    self.hiddenDimension = hiddenDimension
    self.blockCount = blockCount
    self.vocabularySize = vocabularySize
  }

  /// The tiny configuration of the tests' fixture: 2 blocks, 4 heads, embedding 64,
  /// projection 16, MLP 128, vocabulary 256.
  public static let tiny = GemmaConfiguration(
    headCount: 4, embeddingDimension: 64, projectionDimension: 16, hiddenDimension: 128, blockCount: 2,
    vocabularySize: 256)
}
