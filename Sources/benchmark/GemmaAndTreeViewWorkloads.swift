import PenzaiGemma
import StateKeys

extension Benchmark {
  /// The Penzai Gemma anchor's workloads, on the tiny configuration with a cache of 64 tokens:
  ///
  /// - `gemma_cached_step`: one token through the cached model after `tokens` already in the
  ///   cache (Penzai's `advance_one_token`), ns per token, 8 steps per repetition;
  /// - `gemma_uncached_step`: the next token's logits by running the whole sequence of
  ///   `tokens` again, ns per token: what decoding costs without a cache.
  func gemma(tokens: Int) throws {
    guard wanted("gemma") else { return }
    let model = try Self.randomGemma()
    let prompt = (0..<tokens).map { 1 + ($0 * 37) % 255 }
    if wanted("gemma_cached_step") {
      let (cached, initial) = try GemmaKVCachingTransformer.fromUncached(model, cacheLength: 64)
      let (prefilled, _) = try GemmaDecoder.prefill(cached, initialState: initial, prompt: prompt, padID: 0)
      emit("gemma_cached_step", n: tokens, try nanosecondsPerItem(items: 8, repetitions: repetitions) {
        var decoder = prefilled
        for step in 0..<8 { blackHole(try decoder.advance(with: 3 + step)) }
      })
    }
    if wanted("gemma_uncached_step") {
      let inputs = try GemmaInputs.basicSegment(prompt)
      emit("gemma_uncached_step", n: tokens, try nanosecondsPerItem(items: 1, repetitions: repetitions) {
        blackHole(try model(inputs))
      })
    }
  }

  /// The tiny Gemma with weights drawn from a fixed seed, as the anchor draws its own.
  static func randomGemma() throws -> GemmaTransformer {
    var model = try GemmaTransformer(configuration: .tiny)
    var index = 0
    model = try select(model).at(instancesOf: NamedParameter.self).apply { (parameter: NamedParameter) in
      index += 1
      let scale: Float = parameter.name.hasSuffix("scale.weights") ? 0.1 : 1 / Float(parameter.value.shape[0]).squareRoot()
      let noise = try Tensor.normal(parameter.value.shape, key: RandomKey(seed: index))
      let base: Float = parameter.name.hasSuffix("scale.weights") ? 1 : 0
      return NamedParameter(base + scale * noise, name: parameter.name)
    }
    model.body.body.sideInputs[sharedEmbeddingsTag] = try 0.1 * Tensor.normal([256, 64], key: RandomKey(seed: 99))
    return model
  }
}

extension Benchmark {
  /// `tree_view`: the HTML page of a model of `entries` entries with its state, in ns per
  /// entry, with the page's size in bytes.
  func treeView(entries: Int) throws {
    guard wanted("tree_view") else { return }
    let (model, state) = try exportState(MomentsStack(layers: entries / 2, features: 16))
    var bytes = 0
    let nanoseconds = nanosecondsPerItem(items: entries, repetitions: quick ? 1 : 3) {
      let html = HTMLTreeView(of: model, state: state).html
      bytes = html.utf8.count
      blackHole(html)
    }
    print(Figure(workload: "tree_view", n: entries, nanosecondsPerItem: nanoseconds, extra: [("page_bytes", String(bytes))]).json)
  }
}
