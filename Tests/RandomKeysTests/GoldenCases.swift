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

  /// Every case in the golden file, which the test target carries as a resource.
  static let all: [GoldenCase] = GoldenFile.cases(in: "jax_random")
}

/// A JSON file of JAX outputs in the test target's resources: `{"cases": [...]}`.
struct GoldenFile<Case: Decodable>: Decodable {
  let cases: [Case]

  /// The cases of the resource `name`.json, or none if it is missing or malformed (the tests
  /// that count the cases then fail).
  static func cases(in name: String) -> [Case] {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json"),
      let data = try? Data(contentsOf: url),
      let file = try? JSONDecoder().decode(GoldenFile.self, from: data)
    else { return [] }
    return file.cases
  }
}
