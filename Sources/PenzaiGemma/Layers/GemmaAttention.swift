import DataEffects
import ExplicitState
import TensorLayers

/// Gemma's multi-head self-attention: Penzai's `GemmaAttention` (`pz.nn.Attention` configured
/// by `GemmaAttention.from_config`), with a key and a value head per query head.
///
/// Axis orders: `query`, `key` and `value` are `[embedding, heads, projection]`, `output` is
/// `[heads, projection, embedding]`; activations are `[s, embedding]`, and queries, keys and
/// values `[s, heads, projection]`.
///
/// Queries and keys get rotary position embeddings (`queryRoPE`, `keyRoPE`), queries are
/// scaled by 1/√projection, scores are masked (`mask`) and softmaxed over the keys.
public struct GemmaAttention: Layer {
  /// `[embedding, heads, projection]`, named `PREFIX.attn.query.weights`.
  public var query: NamedParameter
  /// `[embedding, heads, projection]`.
  public var key: NamedParameter
  /// `[embedding, heads, projection]`.
  public var value: NamedParameter
  /// `[heads, projection, embedding]`.
  public var output: NamedParameter
  /// Rotary embeddings of the queries and of the keys.
  public var queryRoPE = ApplyRoPE(), keyRoPE = ApplyRoPE()
  /// The attention mask.
  public var mask = ApplyAttentionMask()

  /// An attention block with these weights.
  public init(query: NamedParameter, key: NamedParameter, value: NamedParameter, output: NamedParameter) {
    self.query = query
    self.key = key
    self.value = value
    self.output = output
  }

  /// The heads and the projection's size, from the query's shape.
  var heads: Int { query.value.shape[1] }
  var projection: Int { query.value.shape[2] }

  /// Attends from `x`, `[s, embedding]`, to itself.
  ///
  /// - Throws: `TensorError` for an input of another width, `GemmaError` for side inputs of
  ///   the wrong shape, and `EffectError` when no handler provides them.
  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    let (queries, keys, values) = try project(x)
    let attended = try attend(queries: queries, keys: keys, values: values, keyCount: x.shape[0])
    return try outputProjection(attended, tokens: x.shape[0])
  }

  /// The rotated, scaled queries and rotated keys and the values of `x`, each `[s, heads,
  /// projection]` in row-major order.
  func project(_ x: Tensor) throws -> (queries: [Float], keys: [Float], values: [Float]) {
    let tokens = x.shape[0], width = heads * projection
    let embedding = query.value.shape[0]
    func projected(_ weights: NamedParameter) throws -> [Float] {
      try matmul(x, weights.value.reshaped(to: [embedding, width])).scalars
    }
    var queries = try projected(query), keys = try projected(key)
    let values = try projected(value)
    try queryRoPE.rotate(&queries, tokens: tokens, heads: heads, projection: projection)
    try keyRoPE.rotate(&keys, tokens: tokens, heads: heads, projection: projection)
    // Penzai's ConstantRescale by projection^-0.5, in Float.
    let scale = 1 / Float(projection).squareRoot()
    for i in queries.indices { queries[i] *= scale }
    return (queries, keys, values)
  }

  /// Each query's softmax-weighted sum of `values`, `[s, heads, projection]`, over the first
  /// `keyCount` rows of `keys` and `values` (`[keyCount, heads, projection]` or longer), with
  /// the mask applied to the scores.
  func attend(queries: [Float], keys: [Float], values: [Float], keyCount: Int) throws -> [Float] {
    let heads = self.heads, projection = self.projection
    let tokens = queries.count / (heads * projection)
    let maskValues = try mask.mask.ask()
    guard maskValues.shape == [tokens, keyCount] else {
      throw GemmaError.maskShapeMismatch(expected: [tokens, keyCount], found: maskValues.shape)
    }
    let allowed = maskValues.scalars
    var result = [Float](repeating: 0, count: queries.count)
    var scores = [Float](repeating: 0, count: keyCount)
    queries.withUnsafeBufferPointer { q in
      keys.withUnsafeBufferPointer { k in
        values.withUnsafeBufferPointer { v in
          result.withUnsafeMutableBufferPointer { out in
            scores.withUnsafeMutableBufferPointer { scores in
              guard let scoreBase = scores.baseAddress else { return }
              for token in 0..<tokens {
                for head in 0..<heads {
                  let queryBase = (token * heads + head) * projection
                  for j in 0..<keyCount {
                    if allowed[token * keyCount + j] == 0 {
                      scores[j] = mask.maskedOutValue
                      continue
                    }
                    let keyBase = (j * heads + head) * projection
                    var dot: Float = 0
                    for p in 0..<projection { dot += q[queryBase + p] * k[keyBase + p] }
                    scores[j] = dot
                  }
                  softmaxRow(scoreBase, count: keyCount)
                  for j in 0..<keyCount where scores[j] != 0 {
                    let valueBase = (j * heads + head) * projection
                    let weight = scores[j]
                    for p in 0..<projection { out[queryBase + p] += weight * v[valueBase + p] }
                  }
                }
              }
            }
          }
        }
      }
    }
    return result
  }

  /// The output projection of `attended`, `[s, heads, projection]`, to `[s, embedding]`.
  func outputProjection(_ attended: [Float], tokens: Int) throws -> Tensor {
    let width = heads * projection
    return try matmul(
      Tensor(shape: [tokens, width], scalars: attended), output.value.reshaped(to: [width, output.value.shape[2]]))
  }

  /// Visits the weights, the rotary embeddings and the mask.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("query", &query)
    visitor.visit("key", &key)
    visitor.visit("value", &value)
    visitor.visit("queryRoPE", &queryRoPE)
    visitor.visit("keyRoPE", &keyRoPE)
    visitor.visit("mask", &mask)
    visitor.visit("output", &output)
  }
}

/// The tag of the cache's end, a side input: Penzai's `"cache_end_index"`.
public let cacheEndIndexTag: SideInputTag = "cache_end_index"

/// The local-state category of the key-value caches: Penzai's `"kv_cache"`.
public let kvCacheCategory = "kv_cache"

/// One attention block's keys and values so far: Penzai's `(key_cache, value_cache)` tuple,
/// each `[cacheLength, heads, projection]`.
///
/// A checkpoint stores it as two tensors, `[0]` and `[1]` after the state's name, as Python
/// names a tuple's leaves.
public struct KVCache: StateVisitable, Sendable, Equatable {
  /// The keys, rotated.
  public var keys: Tensor
  /// The values.
  public var values: Tensor

  /// An empty cache for `length` tokens.
  public init(length: Int, heads: Int, projection: Int) throws {
    keys = try Tensor.zeros([length, heads, projection])
    values = keys
  }

  /// Visits the keys at `[0]` and the values at `[1]`, as parameters.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.enter(.index(0))
    visitor.visitParameter(&keys)
    visitor.exit()
    visitor.enter(.index(1))
    visitor.visitParameter(&values)
    visitor.exit()
  }
}

/// Gemma's attention with a key-value cache: Penzai's `GemmaKVCachingAttention`
/// (`pz.nn.KVCachingAttention`). Each call writes its tokens' keys and values into the cache,
/// a local state of category `kv_cache`, at the cache's end (a side input), and attends over
/// the whole cache, the mask hiding what is not yet written.
public struct GemmaKVCachingAttention: Layer {
  /// The attention it caches.
  public var attention: GemmaAttention
  /// Where the new keys and values go.
  public var cacheEndIndex: SideInputEffect<Int>
  /// The cache.
  public var kvCache: LocalStateEffect<KVCache>

  /// The caching form of `attention`, with a cache of `cacheLength` tokens.
  public init(_ attention: GemmaAttention, cacheLength: Int) {
    self.attention = attention
    cacheEndIndex = .request(cacheEndIndexTag)
    let heads = attention.heads, projection = attention.projection
    kvCache = .initial(category: kvCacheCategory) {
      (try? KVCache(length: cacheLength, heads: heads, projection: projection))
        ?? KVCache(empty: ())
    }
  }

  /// Attends from `x`, `[s, embedding]`, to the cache with `x`'s keys and values added.
  ///
  /// - Throws: `GemmaError.cacheOverflow` when the tokens do not fit after the cache's end,
  ///   and as `GemmaAttention` does.
  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    let end = try cacheEndIndex.ask()
    let (queries, keys, values) = try attention.project(x)
    let tokens = x.shape[0]
    let attended = try kvCache.modify { cache throws -> [Float] in
      let length = cache.keys.shape[0]
      guard end >= 0, end + tokens <= length else {
        throw GemmaError.cacheOverflow(end: end, tokens: tokens, cacheLength: length)
      }
      let shape = [tokens, attention.heads, attention.projection]
      try cache.keys.replaceRows(startingAt: end, with: Tensor(shape: shape, scalars: keys))
      try cache.values.replaceRows(startingAt: end, with: Tensor(shape: shape, scalars: values))
      return try attention.attend(queries: queries, keys: cache.keys.scalars, values: cache.values.scalars, keyCount: length)
    }
    return try attention.outputProjection(attended, tokens: tokens)
  }

  /// Visits `.attention`, `.cache_end_index` and `.kv_cache` (Penzai's names).
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("attention", &attention)
    visitor.visit("kv_cache_end_index", &cacheEndIndex)
    visitor.visit("kv_cache", &kvCache)
  }
}

extension KVCache {
  /// An empty cache of no tokens, for an initializer that cannot make the requested one.
  init(empty: ()) {
    keys = Tensor([])
    values = keys
  }
}
