import Dispatch
import StateKeysSupport

/// A key for JAX's default random number generator, threefry2x32, bit for bit.
///
/// A key is two 32-bit words, as `jax.random.key_data` shows them. Keys are split or folded
/// into new keys, and turn into numbers with `bits`, `uniform`, `normal` and `bernoulli`;
/// each gives what JAX 0.10.2 gives for the same key, with `jax_threefry_partitionable` on
/// (its default).
///
/// ```swift
/// let key = RandomKey(seed: 0)                    // jax.random.key(0)
/// let (a, b) = key.split()                        // jax.random.split(key)
/// let u = try a.uniform(shape: [3])               // jax.random.uniform(a, (3,))
/// ```
///
/// Keys are plain values: drawing from a key does not change it, and the same key always
/// gives the same numbers. Use a different key for each draw.
public struct RandomKey: Hashable, Sendable {
  /// The two words of the key, as `jax.random.key_data(key)` lists them.
  public let data: (UInt32, UInt32)

  /// Creates the key JAX makes with `jax.random.key(seed)`: `[0, low 32 bits of seed]`.
  ///
  /// Without 64-bit mode (JAX's default), JAX keeps only the low 32 bits of a seed, so every
  /// `Int` is a valid seed and seeds that differ by a multiple of 2³² give the same key:
  /// `-1` gives `[0, 4294967295]`, and both `0` and `4294967296` give `[0, 0]`. This matches
  /// JAX 0.10.2, checked against it. For any other key, use `init(keyData:)`.
  public init(seed: Int) {
    data = (0, UInt32(truncatingIfNeeded: seed))
  }

  /// Creates a key from its two words, such as a key that JAX printed.
  public init(keyData: (UInt32, UInt32)) {
    data = keyData
  }

  /// The two words of the key, as an array: `[data.0, data.1]`.
  public var keyData: [UInt32] { [data.0, data.1] }

  /// Returns `jax.random.fold_in(key, value)`: a new key that mixes in `value`.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func foldIn(_ value: UInt32) -> RandomKey {
    RandomKey(keyData: threefry2x32(key: data, counter: (0, value)))
  }

  /// Returns `jax.random.split(key, count)`: `count` new keys.
  ///
  /// Key `i` equals `foldIn(i)`, which is how JAX splits with partitionable threefry. A count
  /// of zero returns no keys, as JAX does.
  ///
  /// - Throws: `RandomKeyError.invalidCount` if `count` is negative or more than
  ///   `maximumDrawCount / 2` keys (two words each).
  /// - Complexity: O(*count*).
  public func split(into count: Int) throws(RandomKeyError) -> [RandomKey] {
    guard count >= 0, count <= maximumDrawCount / 2 else { throw .invalidCount(count) }
    return (0..<count).map { counterKey(UInt64($0)) }
  }

  /// Returns `jax.random.split(key)`: two new keys.
  public func split() -> (RandomKey, RandomKey) {
    (counterKey(0), counterKey(1))
  }

  /// The key threefry makes from this key and the 64-bit counter `index`.
  @inlinable
  func counterKey(_ index: UInt64) -> RandomKey {
    RandomKey(keyData: threefry2x32(key: data, counter: (UInt32(truncatingIfNeeded: index >> 32),
                                                         UInt32(truncatingIfNeeded: index))))
  }

  /// Calls `body` with the raw 32-bit word for each element index in `0..<count`, from
  /// several threads at once for a large count (see `forEachBits(count:sixteen:one:)`).
  @inlinable
  func forEachBits(count: Int, _ body: @Sendable (Int, UInt32) -> Void) {
    forEachBits(count: count, sixteen: { start, words in
      for lane in 0..<16 { body(start + lane, words[lane]) }
    }, one: body)
  }

  /// Calls `sixteen` with the raw words of elements `start..<start + 16` for each whole group
  /// of sixteen in `0..<count`, then `one` with the word of each element left.
  ///
  /// Sixteen counters at a time go through the vector threefry, so callers that work on whole
  /// vectors never take the words apart. Each element's word depends only on the key and the
  /// element's index, so a large count is split into ranges drawn on all cores at once, as
  /// XLA's compiled `jax.random` does: the calls for different ranges run concurrently, and
  /// the closures must only write what belongs to the elements they are given.
  @inlinable
  func forEachBits(
    count: Int, sixteen: @Sendable (Int, SIMD16<UInt32>) -> Void, one: @Sendable (Int, UInt32) -> Void
  ) {
    // 64 Ki elements per range: a quarter of a millisecond of work, against microseconds to
    // hand a range to another thread.
    let rangeSize = 1 << 16
    guard count >= 2 * rangeSize else {
      forEachBits(in: 0..<count, sixteen: sixteen, one: one)
      return
    }
    DispatchQueue.concurrentPerform(iterations: (count + rangeSize - 1) / rangeSize) { range in
      forEachBits(
        in: range * rangeSize..<Swift.min(count, (range + 1) * rangeSize), sixteen: sixteen, one: one)
    }
  }

  /// `forEachBits(count:sixteen:one:)` for the elements in `range`, whose lower bound is a
  /// multiple of 16, on the calling thread.
  @inlinable
  func forEachBits(in range: Range<Int>, sixteen: (Int, SIMD16<UInt32>) -> Void, one: (Int, UInt32) -> Void) {
    let iota = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    let count = range.upperBound
    var start = range.lowerBound
    while start + 16 <= count {
      // `start` is a multiple of 16, and so is 2³², so the sixteen counters share a high word.
      let (high, low) = counterWords(start)
      let (a, b) = threefry2x32(
        key: data, high: SIMD16(repeating: high), low: SIMD16(repeating: low) &+ iota)
      sixteen(start, a ^ b)
      start += 16
    }
    for index in start..<count {
      let (a, b) = threefry2x32(key: data, counter: counterWords(index))
      one(index, a ^ b)
    }
  }

  /// The high and low words of the 64-bit counter `index`, as JAX's `iota_2x32_shape` splits it.
  @inlinable
  func counterWords(_ index: Int) -> (UInt32, UInt32) {
    (UInt32(truncatingIfNeeded: UInt64(index) >> 32), UInt32(truncatingIfNeeded: UInt64(index)))
  }

  /// Returns `jax.random.bits(key, shape, uint32)`, flattened in row-major order.
  ///
  /// - Throws: `RandomKeyError.invalidShape` for a negative dimension.
  /// - Complexity: O(*n*) for *n* elements.
  public func bits(shape: [Int]) throws(RandomKeyError) -> [UInt32] {
    guard let count = elementCount(of: shape) else { throw .invalidShape(shape) }
    return [UInt32](count: count) { buffer in
      let output = DrawOutput(buffer)
      forEachBits(count: count) { output.base?[$0] = $1 }
    }
  }
}

extension RandomKey {
  /// Two keys are equal when their words are.
  public static func == (lhs: RandomKey, rhs: RandomKey) -> Bool {
    lhs.data == rhs.data
  }

  /// Hashes the two words.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(data.0)
    hasher.combine(data.1)
  }
}
