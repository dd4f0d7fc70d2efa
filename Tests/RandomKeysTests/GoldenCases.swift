import Foundation

/// One seed's worth of JAX 0.10.2 outputs, from `Golden/jax_random.json`.
struct GoldenCase: Decodable, Sendable, CustomStringConvertible {
  let seed: Int
  let keyData: [UInt32]
  let split2: [[UInt32]]
  let split3: [[UInt32]]
  let foldIn: [String: [UInt32]]
  let bits: [UInt32]
  let uniform8: [Float]
  let uniform2x3: [[Float]]
  let normal8: [Float]
  let bernoulli: [Bool]
  let streamKeys: [[UInt32]]

  enum CodingKeys: String, CodingKey {
    case seed, split2, split3
    case keyData = "key_data"
    case foldIn = "fold_in"
    case bits = "bits_u32_8"
    case uniform8 = "uniform_f32_8"
    case uniform2x3 = "uniform_f32_2x3"
    case normal8 = "normal_f32_8"
    case bernoulli = "bernoulli_p0.3_10"
    case streamKeys = "stream_keys"
  }

  var description: String { "seed \(seed)" }

  private struct File: Decodable {
    let cases: [GoldenCase]
  }

  /// Every case in the golden file, which the test target carries as a resource.
  static let all: [GoldenCase] = {
    guard let url = Bundle.module.url(forResource: "jax_random", withExtension: "json"),
      let data = try? Data(contentsOf: url),
      let file = try? JSONDecoder().decode(File.self, from: data)
    else { return [] }
    return file.cases
  }()
}
