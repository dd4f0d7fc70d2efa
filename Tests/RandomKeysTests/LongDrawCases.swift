/// JAX 0.10.2 draws longer than sixteen elements, from `Golden/jax_long_draws.json`, which
/// `Scripts/fixtures/make_jax_long_draws.py` writes: they cover every lane of the vector
/// threefry and the scalar tail after it, and a draw long enough to be split across threads.
struct LongDrawCase: Decodable, Sendable, CustomStringConvertible {
  let seed: Int
  let bits: [UInt32]
  let uniform5x7: [[Float]]
  let uniform70: [Float]
  let bernoulli: [Bool]
  let largeCount: Int
  let largeIndices: [Int]
  let largeBits: [UInt32]
  let largeBitsSum: UInt64
  let largeUniform: [Float]
  let largeUniformBitsSum: UInt64
  let normalBits: [UInt32]

  enum CodingKeys: String, CodingKey {
    case seed
    case bits = "bits_u32_53"
    case uniform5x7 = "uniform_f32_5x7_minus2_3"
    case uniform70 = "uniform_f32_70"
    case bernoulli = "bernoulli_p0.3_40"
    case largeCount = "large_count"
    case largeIndices = "large_indices"
    case largeBits = "large_bits"
    case largeBitsSum = "large_bits_sum"
    case largeUniform = "large_uniform"
    case largeUniformBitsSum = "large_uniform_bits_sum"
    case normalBits = "normal_f32_4096_bits"
  }

  var description: String { "seed \(seed)" }

  /// Every case in the file, which the test target carries as a resource.
  static let all: [LongDrawCase] = GoldenFile.cases(in: "jax_long_draws")
}
