import RandomKeys
import Testing

@Suite("RandomKey: seeds, counts and shapes")
struct RandomKeyInputTests {
  /// JAX 0.10.2 without 64-bit mode keeps the low 32 bits of any 64-bit seed (checked there).
  @Test(arguments: [
    (-1, [0, 4_294_967_295]), (-2_147_483_648, [0, 2_147_483_648]), (2_147_483_648, [0, 2_147_483_648]),
    (4_294_967_295, [0, 4_294_967_295]), (4_294_967_296, [0, 0]), (1 << 40, [0, 0]),
    (-2_147_483_649, [0, 2_147_483_647]), (Int.max, [0, 4_294_967_295]), (Int.min, [0, 0]),
  ] as [(Int, [UInt32])])
  func seedsKeepTheirLowWordAsJAXDoes(seed: Int, keyData: [UInt32]) {
    #expect(RandomKey(seed: seed).keyData == keyData)
  }

  @Test func keyDataRoundTrips() {
    let key = RandomKey(keyData: (1_797_259_609, 2_579_123_966))
    #expect(key == RandomKey(seed: 0).foldIn(0))
    #expect(key.description == "RandomKey([1797259609, 2579123966])")
  }

  @Test func splittingIntoZeroKeysGivesNone() throws {
    #expect(try RandomKey(seed: 3).split(into: 0).isEmpty)
  }

  @Test func splittingIntoANegativeCountThrows() {
    #expect(throws: RandomKeyError.invalidCount(-2)) { try RandomKey(seed: 3).split(into: -2) }
  }

  @Test func zeroDimensionsGiveEmptyDraws() throws {
    let key = RandomKey(seed: 5)
    #expect(try key.uniform(shape: [0]).isEmpty)
    #expect(try key.normal(shape: [3, 0]).isEmpty)
    #expect(try key.bits(shape: [0, 7]).isEmpty)
    #expect(try key.bernoulli(probability: 0.5, shape: [0]).isEmpty)
  }

  @Test func negativeDimensionsThrowNamingTheShape() {
    let key = RandomKey(seed: 5)
    #expect(throws: RandomKeyError.invalidShape([2, -1])) { try key.uniform(shape: [2, -1]) }
    #expect(throws: RandomKeyError.invalidShape([-3])) { try key.normal(shape: [-3]) }
    #expect(throws: RandomKeyError.invalidShape([-3])) { try key.bits(shape: [-3]) }
    #expect(throws: RandomKeyError.invalidShape([Int.max, 3])) { try key.bits(shape: [Int.max, 3]) }
    #expect(RandomKeyError.invalidShape([2, -1]).description.contains("[2, -1]"))
  }

  @Test func badProbabilitiesAndBoundsThrow() {
    let key = RandomKey(seed: 5)
    #expect(throws: RandomKeyError.invalidProbability(1.5)) { try key.bernoulli(probability: 1.5, shape: [2]) }
    #expect(throws: RandomKeyError.self) { try key.bernoulli(probability: .nan, shape: [2]) }
    #expect(throws: RandomKeyError.invalidBounds(minimum: 1, maximum: 0)) {
      try key.uniform(shape: [2], minimum: 1, maximum: 0)
    }
    #expect(throws: RandomKeyError.self) { try key.uniform(shape: [2], minimum: 0, maximum: .infinity) }
  }

  @Test func uniformStaysWithinItsBounds() throws {
    let values = try RandomKey(seed: 9).uniform(shape: [1000], minimum: -0.25, maximum: 0.25)
    #expect(values.allSatisfy { $0 >= -0.25 && $0 < 0.25 })
  }

  @Test func streamsWrapTheirOffsetInsteadOfTrapping() {
    let base = RandomKey(seed: 1)
    var stream = RandomStream(base: base, offset: .max)
    #expect(stream.nextKey() == base.foldIn(.max))
    #expect(stream.offset == 0)
    #expect(stream.nextKey() == base.foldIn(0))
  }
}

@Suite("RandomKey: draws too large to hold throw")
struct ImpossibleDrawTests {
  @Test func drawsPastTheLimitThrow() {
    #expect(throws: RandomKeyError.invalidShape([1 << 50])) { try RandomKey(seed: 0).uniform(shape: [1 << 50]) }
    #expect(throws: RandomKeyError.invalidShape([1 << 21, 1 << 21])) { try RandomKey(seed: 0).bits(shape: [1 << 21, 1 << 21]) }
    #expect(throws: RandomKeyError.invalidShape([-1, 0])) { try RandomKey(seed: 0).bits(shape: [-1, 0]) }
  }

  @Test func zeroSizedDrawsWithHugeDimensionsAreEmpty() throws {
    #expect(try RandomKey(seed: 0).uniform(shape: [0, 1 << 50]).isEmpty)
  }
}
