import ExplicitState
import TensorLayers

/// Decoding as Penzai's `simple_decoding_loop` does it, one sequence at a time: a prompt,
/// padded or not, prefilled in one call, then one token per call, padding invisible to the
/// model.
public struct GemmaDecoder: Sendable {
  /// The cached model.
  public let model: GemmaKVCachingTransformer
  /// The token that marks padding.
  public let padID: Int
  /// The caches and where they end.
  public private(set) var cacheState: GemmaKVCachingState
  /// Every token so far, the prompt's included, padded to the cache's length with `padID`.
  public private(set) var previousTokens: [Int]

  /// Prefills `prompt` (its padding, if any, after its tokens) into `initialState`'s caches:
  /// Penzai's `prefill`. Returns the decoder and the log-probabilities of the next token.
  ///
  /// - Throws: `GemmaError.emptyPrompt`, `GemmaError.tokenOutOfVocabulary`, and
  ///   `GemmaError.cacheOverflow` for a prompt longer than the cache.
  public static func prefill(
    _ model: GemmaKVCachingTransformer, initialState: GemmaKVCachingState, prompt: [Int], padID: Int
  ) throws -> (GemmaDecoder, logProbabilities: Tensor) {
    guard !prompt.isEmpty else { throw GemmaError.emptyPrompt }
    try checkVocabulary(prompt, size: model.configuration.vocabularySize)
    // A prompt longer than the cache: the model throws `GemmaError.cacheOverflow`.
    let positions = Array(prompt.indices)
    let (logits, state) = try model(
      GemmaKVCachingInputs(
        tokens: prompt, positions: positions, attentionMask: try causalMask(queries: positions, keys: initialState.cacheLength),
        samplingState: initialState))
    let last = max(0, prompt.filter { $0 != padID }.count - 1)
    let padded = prompt + Array(repeating: padID, count: initialState.cacheLength - prompt.count)
    let decoder = GemmaDecoder(model: model, padID: padID, cacheState: state, previousTokens: padded)
    return (decoder, logSoftmax(try logits.rows(at: [last])))
  }

  /// A decoder that goes on from a saved point: the caches as a checkpoint restored them, and
  /// the tokens so far (`previousTokens` of the decoder that was saved).
  ///
  /// - Throws: `GemmaError.positionCountMismatch` when `previousTokens` is not as long as the
  ///   cache.
  public static func restoring(
    _ model: GemmaKVCachingTransformer, cacheState: GemmaKVCachingState, previousTokens: [Int], padID: Int
  ) throws -> GemmaDecoder {
    guard previousTokens.count == cacheState.cacheLength else {
      throw GemmaError.positionCountMismatch(expected: cacheState.cacheLength, found: previousTokens.count)
    }
    return GemmaDecoder(model: model, padID: padID, cacheState: cacheState, previousTokens: previousTokens)
  }

  /// Feeds `token` through the model after what it has seen: Penzai's `advance_one_token`.
  /// Returns the log-probabilities of the next token.
  ///
  /// - Throws: `GemmaError.tokenOutOfVocabulary`, and `GemmaError.cacheOverflow` when the
  ///   cache is full.
  public mutating func advance(with token: Int) throws -> Tensor {
    try Self.checkVocabulary([token], size: model.configuration.vocabularySize)
    let end = cacheState.cacheEndIndex
    guard end < cacheState.cacheLength else {
      throw GemmaError.cacheOverflow(end: end, tokens: 1, cacheLength: cacheState.cacheLength)
    }
    var tokens = previousTokens
    tokens[end] = token
    // Positions count the tokens that are not padding, as Penzai's loop does: the new token's
    // is the count up to and including it, each key's the count before it.
    var mask = [Float](repeating: 0, count: tokens.count)
    var before = 0
    var keyPositions = [Int](repeating: 0, count: tokens.count)
    for (index, value) in tokens.enumerated() {
      keyPositions[index] = before
      if value != padID { before += 1 }
    }
    let position = before
    for index in tokens.indices where tokens[index] != padID && position >= keyPositions[index] { mask[index] = 1 }
    let (logits, state) = try model(
      GemmaKVCachingInputs(
        tokens: [token], positions: [position], attentionMask: try Tensor(shape: [1, tokens.count], scalars: mask),
        samplingState: cacheState))
    cacheState = state
    previousTokens = tokens
    return logSoftmax(logits)
  }

  /// The tokens that greedy decoding gives after `prompt`: `steps` times the most likely next
  /// token (the first of equals, as `jnp.argmax`).
  ///
  /// - Throws: As `prefill(_:initialState:prompt:padID:)` and `advance(with:)`.
  public static func greedyTokens(
    _ model: GemmaKVCachingTransformer, initialState: GemmaKVCachingState, prompt: [Int], padID: Int, steps: Int
  ) throws -> [Int] {
    var (decoder, logProbabilities) = try prefill(model, initialState: initialState, prompt: prompt, padID: padID)
    var tokens: [Int] = []
    for step in 0..<steps {
      let token = argmax(logProbabilities.scalars)
      tokens.append(token)
      if step + 1 < steps { logProbabilities = try decoder.advance(with: token) }
    }
    return tokens
  }

  static func checkVocabulary(_ tokens: [Int], size: Int) throws {
    for (position, token) in tokens.enumerated() where !(0..<size).contains(token) {
      throw GemmaError.tokenOutOfVocabulary(position: position, token: token, vocabularySize: size)
    }
  }
}

/// The index of the largest value, the first of equals.
func argmax(_ values: [Float]) -> Int {
  var best = 0
  for index in values.indices where values[index] > values[best] { best = index }
  return best
}
