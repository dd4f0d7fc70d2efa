import ExplicitState
import Foundation
import PenzaiGemma
import TensorLayers
import Testing

/// `Fixtures/gemma_tiny_golden.json`, which `Scripts/fixtures/make_penzai_gemma.py` writes with
/// penzai 0.2.5 beside `gemma_tiny.safetensors`.
struct GemmaGolden: Decodable {
  let prompts: [[Int]]
  let pad: Int
  let padded_length: Int
  let cache_length: Int
  let steps: Int
  let logits: [[Float]]
  let greedy: [[Int]]
  let state_names: [String]

  static func load() throws -> GemmaGolden {
    let url = try #require(Bundle.module.url(forResource: "gemma_tiny_golden", withExtension: "json"))
    return try JSONDecoder().decode(GemmaGolden.self, from: Data(contentsOf: url))
  }

  static var parametersPath: String {
    get throws { try #require(Bundle.module.url(forResource: "gemma_tiny", withExtension: "safetensors")).path }
  }

  /// Penzai's model, loaded from the fixture.
  static func model() throws -> GemmaTransformer {
    try GemmaTransformer(configuration: .tiny).loadingPenzaiParameters(from: parametersPath)
  }
}

/// Whether every element of `actual` is within `tolerance` of `expected`, relative to the larger
/// of its own magnitude and 1.
func matches(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-4) -> Bool {
  actual.count == expected.count && zip(actual, expected).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}

/// The largest difference between `actual` and `expected`, for failure messages.
func largestDifference(_ actual: [Float], _ expected: [Float]) -> Float {
  zip(actual, expected).map { abs($0 - $1) }.max() ?? .infinity
}
