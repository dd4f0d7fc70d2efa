import Checkpoints
import DataEffects
import ExplicitState
import Foundation
import PenzaiGemma
import TensorLayers
import Testing

/// Penzai V1's Gemma, ported: the same parameters by name, the same logits, the same cached
/// decoding, the same local-state names.
@Suite("Gemma: Penzai's model, its logits and its tokens")
struct GemmaTests {
  @Test func theModelLoadsPenzaisParametersByName() throws {
    let model = try GemmaGolden.model()
    let names = model.penzaiParameterLayouts.map(\.name)
    #expect(names.count == 20)
    #expect(names.first == "block_0.pre_attention_norm.scale.weights")
    #expect(Set(names) == Set(try SafetensorsFile(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: GemmaGolden.parametersPath)))).entries.map(\.name)))
  }

  @Test func logitsMatchPenzaisForEveryPrompt() throws {
    let golden = try GemmaGolden.load()
    let model = try GemmaGolden.model()
    for (prompt, expected) in zip(golden.prompts, golden.logits) {
      let logits = try model(.basicSegment(prompt))
      #expect(logits.shape == [prompt.count, 256])
      let close = matches(logits.scalars, expected)
      #expect(close, "prompt of \(prompt.count): largest difference \(largestDifference(logits.scalars, expected))")
    }
  }

  @Test func theCachesAreLocalStatesWithPenzaisNames() throws {
    let golden = try GemmaGolden.load()
    let (_, initial) = try GemmaKVCachingTransformer.fromUncached(try GemmaGolden.model(), cacheLength: golden.cache_length)
    #expect(initial.kvCaches.keys.map(\.path).sorted() == golden.state_names)
    let cache = try initial.kvCaches.value(for: initial.kvCaches.keys[0], as: KVCache.self)
    #expect(cache.keys.shape == [golden.cache_length, 4, 16])
  }

  @Test func greedyDecodingGivesPenzaisTokens() throws {
    let golden = try GemmaGolden.load()
    let (cached, initial) = try GemmaKVCachingTransformer.fromUncached(try GemmaGolden.model(), cacheLength: golden.cache_length)
    for (prompt, expected) in zip(golden.prompts, golden.greedy) {
      let padded = prompt + Array(repeating: golden.pad, count: golden.padded_length - prompt.count)
      let tokens = try GemmaDecoder.greedyTokens(cached, initialState: initial, prompt: padded, padID: golden.pad, steps: golden.steps)
      #expect(tokens == expected, "prompt \(prompt)")
    }
  }

  @Test func cachedLogitsEqualUncachedLogitsAtEveryPosition() throws {
    let golden = try GemmaGolden.load()
    let model = try GemmaGolden.model()
    let (cached, initial) = try GemmaKVCachingTransformer.fromUncached(model, cacheLength: golden.cache_length)
    let sequence = golden.prompts[0] + golden.greedy[0].prefix(10)
    let uncached = try model(.basicSegment(sequence))
    // A prefill of the first 4 tokens, then one token at a time.
    var (logits, state) = try cached(.basicSubsegment(Array(sequence.prefix(4)), after: initial))
    let prefillClose = matches(logits.scalars, Array(uncached.scalars.prefix(4 * 256)), tolerance: 1e-5)
    #expect(prefillClose)
    for index in 4..<sequence.count {
      (logits, state) = try cached(.basicSubsegment([sequence[index]], after: state))
      let expected = Array(uncached.scalars[(index * 256)..<((index + 1) * 256)])
      let close = matches(logits.scalars, expected, tolerance: 1e-5)
      #expect(close, "position \(index): \(largestDifference(logits.scalars, expected))")
    }
    #expect(state.cacheEndIndex == sequence.count)
  }

  @Test func theCachesRoundTripThroughACheckpointMidGeneration() throws {
    let golden = try GemmaGolden.load()
    let (cached, initial) = try GemmaKVCachingTransformer.fromUncached(try GemmaGolden.model(), cacheLength: golden.cache_length)
    let prompt = golden.prompts[0]
    var (decoder, logProbabilities) = try GemmaDecoder.prefill(cached, initialState: initial, prompt: prompt, padID: golden.pad)
    for _ in 0..<10 { logProbabilities = try decoder.advance(with: argmaxIndex(logProbabilities)) }

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gemma-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("caches.safetensors").path
    try decoder.cacheState.kvCaches.save(to: path)
    let names = try SafetensorsFile(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))).entries.map(\.name)
    #expect(names.sorted() == golden.state_names.flatMap { [$0 + "[0]", $0 + "[1]"] }.sorted())

    // A fresh process: the model and empty caches made again, the caches loaded by name.
    let (_, fresh) = try GemmaKVCachingTransformer.fromUncached(try GemmaGolden.model(), cacheLength: golden.cache_length)
    let restoredCaches = try State(contentsOf: path, matching: fresh.kvCaches)
    #expect(restoredCaches == decoder.cacheState.kvCaches)
    let restored = try GemmaDecoder.restoring(
      cached, cacheState: GemmaKVCachingState(cacheLength: golden.cache_length, kvCaches: restoredCaches, cacheEndIndex: decoder.cacheState.cacheEndIndex),
      previousTokens: decoder.previousTokens, padID: golden.pad)
    var original = decoder, resumed = restored
    var next = logProbabilities, resumedNext = logProbabilities
    for _ in 0..<10 {
      let token = argmaxIndex(next)
      #expect(argmaxIndex(resumedNext) == token)
      next = try original.advance(with: token)
      resumedNext = try resumed.advance(with: token)
      let same = next == resumedNext
      #expect(same)
    }
  }

  @Test func badPromptsAreRefusedWithTheirReason() throws {
    let golden = try GemmaGolden.load()
    let (cached, initial) = try GemmaKVCachingTransformer.fromUncached(try GemmaGolden.model(), cacheLength: 8)
    #expect(throws: GemmaError.emptyPrompt) { try GemmaDecoder.prefill(cached, initialState: initial, prompt: [], padID: golden.pad) }
    #expect(throws: GemmaError.tokenOutOfVocabulary(position: 1, token: 256, vocabularySize: 256)) {
      try GemmaDecoder.prefill(cached, initialState: initial, prompt: [2, 256], padID: golden.pad)
    }
    #expect(throws: GemmaError.cacheOverflow(end: 0, tokens: 9, cacheLength: 8)) {
      try GemmaDecoder.prefill(cached, initialState: initial, prompt: Array(repeating: 2, count: 9), padID: golden.pad)
    }
    var (decoder, _) = try GemmaDecoder.prefill(cached, initialState: initial, prompt: Array(repeating: 2, count: 8), padID: golden.pad)
    #expect(throws: GemmaError.cacheOverflow(end: 8, tokens: 1, cacheLength: 8)) { try decoder.advance(with: 3) }
    #expect("\(GemmaError.tokenOutOfVocabulary(position: 1, token: 256, vocabularySize: 256))"
      == "Gemma: token 1 of the prompt is 256; expected a token in 0..<256.")
  }

  @Test func aFileWithoutSomeParameterIsRefusedByName() throws {
    let file = try SafetensorsFile(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: GemmaGolden.parametersPath))))
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gemma-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("partial.safetensors").path
    let kept = try SafetensorsFile(entries: file.entries.filter { $0.name != "final_norm.scale.weights" })
    try Data(kept.encoded()).write(to: URL(fileURLWithPath: path))
    #expect(throws: CheckpointError.keyMismatch(missing: ["final_norm.scale.weights"], extra: [])) {
      try GemmaTransformer(configuration: .tiny).loadingPenzaiParameters(from: path)
    }
  }
}

/// The index of the largest log-probability.
func argmaxIndex(_ logProbabilities: Tensor) -> Int {
  let values = logProbabilities.scalars
  var best = 0
  for index in values.indices where values[index] > values[best] { best = index }
  return best
}
