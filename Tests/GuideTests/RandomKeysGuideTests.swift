import StateKeys
import Testing

// Mirrors of Guides/RandomKeys.md: each region is a code block of the guide, verbatim.

@Suite("Guide: RandomKeys.md")
struct RandomKeysGuideTests {
  @Test func firstExample() throws {
    // snippet: random-first-example
    let key = RandomKey(seed: 0)                  // jax.random.key(0)
    let u = try key.uniform(shape: [3])           // jax.random.uniform(key, (3,))
    // [0.947667, 0.97857988, 0.3322915]: JAX's numbers, bit for bit
    // end-snippet
    #expect(u == [0.9476670026779175, 0.9785798788070679, 0.33229148387908936])
  }

  @Test func derivingKeys() throws {
    // snippet: random-deriving-keys
    let key = RandomKey(seed: 0)
    let (a, b) = key.split()                      // a, b = jax.random.split(key)
    let keys = try key.split(into: 3)             // jax.random.split(key, 3)
    let c = key.foldIn(7)                         // jax.random.fold_in(key, 7)
    print(a.keyData, c.keyData)
    // [1797259609, 2579123966] [2716826189, 292468403]
    // end-snippet
    #expect(a.keyData == [1_797_259_609, 2_579_123_966])
    #expect(b.keyData == [928_981_903, 3_453_687_069])
    #expect(keys.map(\.keyData) == [[1_797_259_609, 2_579_123_966], [928_981_903, 3_453_687_069], [4_146_024_105, 2_718_843_009]])
    #expect(c.keyData == [2_716_826_189, 292_468_403])
  }

  @Test func drawing() throws {
    // snippet: random-drawing
    let key = RandomKey(seed: 0)
    let words = try key.bits(shape: [2])                      // jax.random.bits(key, (2,))
    let normals = try key.normal(shape: [2])                  // jax.random.normal(key, (2,))
    let coins = try key.bernoulli(probability: 0.3, shape: [6])  // jax.random.bernoulli(key, 0.3, (6,))
    let centered = try key.uniform(shape: [2, 2], minimum: -1, maximum: 1)
    // words: [4070199207, 4202968722]; normals ≈ [1.6226422, 2.0252647]
    // coins: [false, false, false, false, false, true]
    // end-snippet
    #expect(words == [4_070_199_207, 4_202_968_722])
    #expect(zip(normals, [1.622642159461975, 2.0252647399902344] as [Float]).allSatisfy { abs($0 - $1) <= $1.ulp })
    #expect(coins == [false, false, false, false, false, true])
    #expect(centered.count == 4 && centered.allSatisfy { (-1..<1).contains($0) })
  }

  @Test func streams() throws {
    // snippet: random-stream
    var stream = RandomStream(base: RandomKey(seed: 0))
    let first = stream.nextKey()      // fold_in(key, 0)
    let second = stream.nextKey()     // fold_in(key, 1)
    // end-snippet
    #expect(first == RandomKey(seed: 0).foldIn(0))
    #expect(second == RandomKey(seed: 0).foldIn(1))
    #expect(stream.offset == 2)
  }

  @Test func tensors() throws {
    // snippet: random-tensors
    let keys = try RandomKey(seed: 0).split(into: 3)
    let layer = try Linear(inFeatures: 16, outFeatures: 64, key: keys[0])
    let noise = try Tensor.normal([4, 16], key: keys[1])
    // layer.weight is Inox's nn.Linear(16, 64, key=keys[0]).weight, bit for bit
    // end-snippet
    #expect(Array(layer.weight.scalars.prefix(2)) == [0.17115706205368042, -0.15881067514419556])
    #expect(noise.shape == [4, 16])
    // snippet: random-dropout
    var dropout = try Dropout(rate: 0.5)
    let dropped = try dropout(Tensor.ones([8]), key: keys[2])
    // [0, 0, 2, 2, 0, 0, 0, 2]: kept elements scaled by 1 / (1 - rate)
    dropout.isTraining = false
    let same = try dropout(Tensor.ones([8]), key: keys[2])     // all ones
    // end-snippet
    #expect(dropped.scalars == [0, 0, 2, 2, 0, 0, 0, 2])
    #expect(try same == Tensor.ones([8]))
  }

  @Test func badInput() throws {
    var messages: [String] = []
    // snippet: random-bad-input
    do {
      _ = try RandomKey(seed: 1).split(into: -1)
    } catch {
      print(error)   // split(into:): expected a count of zero or more keys, at most half of maximumDrawCount, found -1.
      messages.append("\(error)")
    }
    let none = try RandomKey(seed: 1).split(into: 0)      // [], as in JAX
    let empty = try RandomKey(seed: 1).uniform(shape: [0, 3])  // [], as in JAX
    // end-snippet
    #expect(messages == ["split(into:): expected a count of zero or more keys, at most half of maximumDrawCount, found -1."])
    #expect(none.isEmpty && empty.isEmpty)
    #expect(throws: RandomKeyError.invalidShape([-2])) { try RandomKey(seed: 1).normal(shape: [-2]) }
  }
}
