import Foundation
import PenzaiGemma
import StateKeys
import Testing

// Mirrors of Guides/PortingAPenzaiModel.md: each region is a code block of the guide, verbatim.

@Suite("Guide: PortingAPenzaiModel.md")
struct PortingAPenzaiModelGuideTests {
  let parametersPath = GuideSnippets.packageRoot.appendingPathComponent("Tests/GemmaTests/Fixtures/gemma_tiny.safetensors").path

  @Test func theFirstExampleGivesPenzaisTokens() throws {
    // snippet: gemma-first-example
    let model = try GemmaTransformer(configuration: .tiny).loadingPenzaiParameters(from: parametersPath)
    let logits = try model(.basicSegment([2, 17, 99, 5, 200, 31, 8]))     // Float[7, 256]

    let (cached, initial) = try GemmaKVCachingTransformer.fromUncached(model, cacheLength: 64)
    let tokens = try GemmaDecoder.greedyTokens(
      cached, initialState: initial, prompt: [2, 17, 99, 5, 200, 31, 8], padID: 0, steps: 8)
    // [255, 135, 40, 196, 23, 19, 55, 214]: Penzai's tokens
    // end-snippet
    #expect(logits.shape == [7, 256])
    #expect(tokens == [255, 135, 40, 196, 23, 19, 55, 214])

    // snippet: gemma-state-names
    for key in initial.kvCaches.keys { print(key.path) }
    // WithSideInputsFromInputTuple.body/WithSideInputsFromInputTuple.body/WithConstantSideInputs.body/Sequential.sublayers[2]/GemmaTransformerBlock.sublayers[0]/Residual.delta/Sequential.sublayers[1]/GemmaKVCachingAttention.kv_cache
    // WithSideInputsFromInputTuple.body/WithSideInputsFromInputTuple.body/WithConstantSideInputs.body/Sequential.sublayers[3]/GemmaTransformerBlock.sublayers[0]/Residual.delta/Sequential.sublayers[1]/GemmaKVCachingAttention.kv_cache
    // end-snippet
    #expect(initial.kvCaches.keys.map(\.path) == [2, 3].map {
      "WithSideInputsFromInputTuple.body/WithSideInputsFromInputTuple.body/WithConstantSideInputs.body/Sequential.sublayers[\($0)]/GemmaTransformerBlock.sublayers[0]/Residual.delta/Sequential.sublayers[1]/GemmaKVCachingAttention.kv_cache"
    })
  }

  @Test func aMissingParameterIsNamed() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guide-gemma-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let partialPath = folder.appendingPathComponent("partial.safetensors").path
    let file = try SafetensorsFile(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: parametersPath))))
    try Data(SafetensorsFile(entries: file.entries.filter { $0.name != "final_norm.scale.weights" }).encoded())
      .write(to: URL(fileURLWithPath: partialPath))
    var messages: [String] = []
    func print(_ error: Error) { messages.append("\(error)") }

    // snippet: gemma-missing-parameter
    do {
      _ = try GemmaTransformer(configuration: .tiny).loadingPenzaiParameters(from: partialPath)
    } catch {
      print(error)
      // The checkpoint does not match the model; missing from the file: final_norm.scale.weights.
    }
    // end-snippet
    #expect(messages.count == 1)
    #expect(messages == ["The checkpoint does not match the model; missing from the file: final_norm.scale.weights."])
  }

  @Test func theCachesGoOnAfterACheckpoint() throws {
    let model = try GemmaTransformer(configuration: .tiny).loadingPenzaiParameters(from: parametersPath)
    let (cached, initial) = try GemmaKVCachingTransformer.fromUncached(model, cacheLength: 64)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guide-gemma-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let cachePath = folder.appendingPathComponent("caches.safetensors").path
    func mostLikely(_ logProbabilities: Tensor) -> Int {
      logProbabilities.scalars.indices.max { logProbabilities.scalars[$0] < logProbabilities.scalars[$1] } ?? 0
    }

    // snippet: gemma-cache-checkpoint
    var (decoder, next) = try GemmaDecoder.prefill(cached, initialState: initial, prompt: [2, 17, 99], padID: 0)
    for _ in 0..<4 { next = try decoder.advance(with: mostLikely(next)) }
    try decoder.cacheState.kvCaches.save(to: cachePath)      // two tensors per block: [0] keys, [1] values

    let restored = try State(contentsOf: cachePath, matching: initial.kvCaches)
    var resumed = try GemmaDecoder.restoring(
      cached, cacheState: GemmaKVCachingState(cacheLength: 64, kvCaches: restored, cacheEndIndex: decoder.cacheState.cacheEndIndex),
      previousTokens: decoder.previousTokens, padID: 0)
    // resumed.advance(with:) gives what decoder.advance(with:) gives
    // end-snippet
    let token = mostLikely(next)
    let fromOriginal = try decoder.advance(with: token)
    let fromResumed = try resumed.advance(with: token)
    let same = fromOriginal == fromResumed
    #expect(same)
  }
}
