import DataEffects
import ExplicitState
import TensorLayers

/// What a cached Gemma carries from one call to the next: Penzai's `GemmaKVCachingState`.
public struct GemmaKVCachingState: Sendable, Equatable {
  /// The caches' length in tokens.
  public let cacheLength: Int
  /// The key-value caches, one `KVCache` per block, under Penzai's names
  /// (`WithSideInputsFromInputTuple.body/…/GemmaKVCachingAttention.kv_cache`).
  public var kvCaches: State
  /// Where the next tokens' keys and values go.
  public var cacheEndIndex: Int

  /// A state from its parts, as a checkpoint restores it.
  public init(cacheLength: Int, kvCaches: State, cacheEndIndex: Int) {
    self.cacheLength = cacheLength
    self.kvCaches = kvCaches
    self.cacheEndIndex = cacheEndIndex
  }
}

/// The inputs of a cached Gemma call: Penzai's `GemmaKVCachingInputs`.
public struct GemmaKVCachingInputs: Sendable {
  /// The tokens: a prompt to prefill, or the one token of a step.
  public var tokens: [Int]
  /// Each token's position.
  public var positions: [Int]
  /// `[tokens, cacheLength]`: nonzero where a token may attend to a cached key.
  public var attentionMask: Tensor
  /// The caches so far.
  public var samplingState: GemmaKVCachingState

  /// Inputs from their parts.
  public init(tokens: [Int], positions: [Int], attentionMask: Tensor, samplingState: GemmaKVCachingState) {
    self.tokens = tokens
    self.positions = positions
    self.attentionMask = attentionMask
    self.samplingState = samplingState
  }

  /// The next tokens of one unpadded sequence, placed after those in the cache: Penzai's
  /// `GemmaKVCachingInputs.from_basic_subsegments`.
  public static func basicSubsegment(_ tokens: [Int], after state: GemmaKVCachingState) throws -> GemmaKVCachingInputs {
    let positions = tokens.indices.map { $0 + state.cacheEndIndex }
    return GemmaKVCachingInputs(
      tokens: tokens, positions: positions, attentionMask: try causalMask(queries: positions, keys: state.cacheLength),
      samplingState: state)
  }
}

/// Penzai V1's Gemma in cached decoding mode: `GemmaKVCachingTransformer`, as
/// `GemmaKVCachingTransformer.from_uncached` builds it.
///
/// Every `GemmaAttention` becomes a `GemmaKVCachingAttention`, whose cache is a local state of
/// category `kv_cache`; a `WithSideInputsFromInputTuple` gives them the cache's end
/// (`cache_end_index`), and `handleLocalStates` takes the caches out as a `State`, with
/// Penzai's names.
///
/// ```swift
/// let (cached, initial) = try GemmaKVCachingTransformer.fromUncached(model, cacheLength: 64)
/// let (logits, state) = try cached(.basicSubsegment(prompt, after: initial))
/// ```
public struct GemmaKVCachingTransformer: Layer {
  /// The sizes.
  public let configuration: GemmaConfiguration
  /// The handled model.
  public var body: WithFunctionalLocalState<WithSideInputsFromInputTuple<WithSideInputsFromInputTuple<WithConstantSideInputs<Sequential>>>>

  /// The cached form of `uncached`, and its empty caches of `cacheLength` tokens.
  ///
  /// - Throws: `EffectError` if the model's effects cannot be handled.
  public static func fromUncached(
    _ uncached: GemmaTransformer, cacheLength: Int
  ) throws -> (GemmaKVCachingTransformer, GemmaKVCachingState) {
    let caching = try select(uncached.body).at(instancesOf: GemmaAttention.self).apply { (attention: GemmaAttention) in
      GemmaKVCachingAttention(attention, cacheLength: cacheLength)
    }
    let withEnd = try WithSideInputsFromInputTuple.handling(caching, tags: [cacheEndIndexTag])
    let (handled, caches) = try handleLocalStates(withEnd, category: kvCacheCategory)
    return (
      GemmaKVCachingTransformer(configuration: uncached.configuration, body: handled),
      GemmaKVCachingState(cacheLength: cacheLength, kvCaches: caches, cacheEndIndex: 0)
    )
  }

  /// The logits of `inputs.tokens`, `[tokens, vocabulary]`, and the state with their keys and
  /// values cached.
  ///
  /// - Throws: `GemmaError.emptyPrompt`, `GemmaError.cacheOverflow` when the tokens do not fit
  ///   in the cache, and as `GemmaTransformer` does.
  public func callAsFunction(_ inputs: GemmaKVCachingInputs) throws -> (Tensor, GemmaKVCachingState) {
    guard !inputs.tokens.isEmpty else { throw GemmaError.emptyPrompt }
    let state = inputs.samplingState
    guard state.cacheEndIndex + inputs.tokens.count <= state.cacheLength else {
      throw GemmaError.cacheOverflow(end: state.cacheEndIndex, tokens: inputs.tokens.count, cacheLength: state.cacheLength)
    }
    let (output, caches) = try body(
      ((inputs.tokens, [inputs.positions, inputs.attentionMask]), [state.cacheEndIndex]), state.kvCaches)
    return (
      try logits(output),
      GemmaKVCachingState(cacheLength: state.cacheLength, kvCaches: caches, cacheEndIndex: state.cacheEndIndex + inputs.tokens.count)
    )
  }

  /// Visits `.body`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("body", &body)
  }
}
