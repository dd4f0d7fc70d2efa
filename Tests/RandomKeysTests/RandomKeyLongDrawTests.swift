import RandomKeys
import Testing

@Suite("RandomKey: long draws match JAX in every lane")
struct RandomKeyLongDrawTests {
  @Test func fileIsLoaded() {
    #expect(LongDrawCase.all.map(\.seed) == [0, 42, 2147483647])
  }

  @Test(arguments: LongDrawCase.all)
  func bits(_ golden: LongDrawCase) throws {
    #expect(try RandomKey(seed: golden.seed).bits(shape: [53]) == golden.bits)
  }

  @Test(arguments: LongDrawCase.all)
  func uniformIsExact(_ golden: LongDrawCase) throws {
    let key = RandomKey(seed: golden.seed)
    #expect(try key.uniform(shape: [70]) == golden.uniform70)
    #expect(try key.uniform(shape: [5, 7], minimum: -2, maximum: 3) == golden.uniform5x7.flatMap { $0 })
  }

  @Test(arguments: LongDrawCase.all)
  func bernoulliIsExact(_ golden: LongDrawCase) throws {
    #expect(try RandomKey(seed: golden.seed).bernoulli(probability: 0.3, shape: [40]) == golden.bernoulli)
  }

  /// Draws of 128 Ki elements or more are made in ranges on several threads at once; every
  /// element, at the ranges' edges and in between, is still JAX's.
  @Test(arguments: LongDrawCase.all)
  func drawsSplitAcrossThreadsAreExact(_ golden: LongDrawCase) throws {
    let key = RandomKey(seed: golden.seed)
    let bits = try key.bits(shape: [golden.largeCount])
    #expect(golden.largeIndices.map { bits[$0] } == golden.largeBits)
    #expect(bits.reduce(UInt64(0)) { $0 &+ UInt64($1) } == golden.largeBitsSum)
    let uniform = try key.uniform(shape: [golden.largeCount])
    #expect(golden.largeIndices.map { uniform[$0] } == golden.largeUniform)
    #expect(uniform.reduce(UInt64(0)) { $0 &+ UInt64($1.bitPattern) } == golden.largeUniformBitsSum)
    #expect(Array(uniform.prefix(70)) == golden.uniform70)
  }

  /// Element `i` depends only on the key and `i`, so every shorter draw is a prefix of a longer
  /// one, whichever of the vector and scalar paths computed each element.
  @Test(arguments: [0, 1, 15, 16, 17, 31, 32, 33, 47, 48])
  func shorterDrawsArePrefixes(_ count: Int) throws {
    let key = RandomKey(seed: 7)
    #expect(try key.bits(shape: [count]) == Array(try key.bits(shape: [64]).prefix(count)))
    #expect(try key.uniform(shape: [count]) == Array(try key.uniform(shape: [64]).prefix(count)))
  }

  /// A zero-width interval gives its bound, as JAX's `max(minval, ...)` does, in both paths.
  @Test func zeroWidthIntervalsGiveTheirBound() throws {
    let key = RandomKey(seed: 3)
    #expect(try key.uniform(shape: [40], minimum: 2.5, maximum: 2.5) == Array(repeating: 2.5, count: 40))
    let zeros = try key.uniform(shape: [40], minimum: -0.0, maximum: -0.0)
    #expect(zeros.allSatisfy { $0 == 0 })
  }
}

/// The distance in units in the last place between two finite floats of one sign.
func ulpDistance(_ a: Float, _ b: Float) -> Int {
  guard a.sign == b.sign else { return a == b ? 0 : Int.max }
  return abs(Int(a.bitPattern) - Int(b.bitPattern))
}

@Suite("RandomKey: normals stay within the stated bound of JAX's")
struct NormalBoundTests {
  /// 12,288 normals: the RandomKeys guide's bound holds for every one, most are identical.
  @Test func normalsAreWithinTheGuidesBoundOfJAX() throws {
    var distances: [Int] = []
    for golden in LongDrawCase.all {
      let values = try RandomKey(seed: golden.seed).normal(shape: [golden.normalBits.count])
      distances += zip(values, golden.normalBits).map { ulpDistance($0, Float(bitPattern: $1)) }
    }
    #expect(distances.count == 12_288)
    #expect(distances.max() ?? 0 <= maximumNormalUlpDistance)
    #expect(distances.filter { $0 == 0 }.count * 10 >= distances.count * 9)
  }
}

/// The bound the RandomKeys guide states.
let maximumNormalUlpDistance = 3
