/// The Threefry-2x32 block cipher with 20 rounds, as JAX's `threefry2x32` computes it.
///
/// Maps a 64-bit key and a 64-bit counter, each as two 32-bit words, to two 32-bit words.
/// Every random key, split and draw in this module is this function applied to counters.
@inlinable
func threefry2x32(key: (UInt32, UInt32), counter: (UInt32, UInt32)) -> (UInt32, UInt32) {
  let k0 = key.0
  let k1 = key.1
  let k2 = k0 ^ k1 ^ 0x1BD1_1BDA
  var x0 = counter.0 &+ k0
  var x1 = counter.1 &+ k1

  @inline(__always) func rounds(_ r: (UInt32, UInt32, UInt32, UInt32)) {
    x0 = x0 &+ x1; x1 = (x1 << r.0) | (x1 >> (32 - r.0)); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << r.1) | (x1 >> (32 - r.1)); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << r.2) | (x1 >> (32 - r.2)); x1 ^= x0
    x0 = x0 &+ x1; x1 = (x1 << r.3) | (x1 >> (32 - r.3)); x1 ^= x0
  }
  let even: (UInt32, UInt32, UInt32, UInt32) = (13, 15, 26, 6)
  let odd: (UInt32, UInt32, UInt32, UInt32) = (17, 29, 16, 24)

  rounds(even); x0 = x0 &+ k1; x1 = x1 &+ k2 &+ 1
  rounds(odd); x0 = x0 &+ k2; x1 = x1 &+ k0 &+ 2
  rounds(even); x0 = x0 &+ k0; x1 = x1 &+ k1 &+ 3
  rounds(odd); x0 = x0 &+ k1; x1 = x1 &+ k2 &+ 4
  rounds(even); x0 = x0 &+ k2; x1 = x1 &+ k0 &+ 5
  return (x0, x1)
}

/// Threefry-2x32 on sixteen counters at once, each exactly as `threefry2x32` computes it.
///
/// `high` and `low` hold the counters' words, lane by lane. One block is a chain of 80
/// dependent operations; sixteen lanes are four independent chains of 128-bit vector
/// operations, which the processor runs side by side.
@inlinable
func threefry2x32(
  key: (UInt32, UInt32), high: SIMD16<UInt32>, low: SIMD16<UInt32>
) -> (SIMD16<UInt32>, SIMD16<UInt32>) {
  let k0 = key.0
  let k1 = key.1
  let k2 = k0 ^ k1 ^ 0x1BD1_1BDA
  var lanes = ThreefryLanes(a: high &+ SIMD16(repeating: k0), b: low &+ SIMD16(repeating: k1))
  lanes.evenRounds()
  lanes.inject(k1, k2 &+ 1)
  lanes.oddRounds()
  lanes.inject(k2, k0 &+ 2)
  lanes.evenRounds()
  lanes.inject(k0, k1 &+ 3)
  lanes.oddRounds()
  lanes.inject(k1, k2 &+ 4)
  lanes.evenRounds()
  lanes.inject(k2, k0 &+ 5)
  return (lanes.a, lanes.b)
}

/// The state of sixteen threefry blocks, advanced round by round in step.
@usableFromInline
struct ThreefryLanes {
  @usableFromInline var a: SIMD16<UInt32>
  @usableFromInline var b: SIMD16<UInt32>

  @inlinable
  init(a: SIMD16<UInt32>, b: SIMD16<UInt32>) {
    self.a = a
    self.b = b
  }

  /// One round on every lane: add, rotate by `r`, xor.
  ///
  /// The rotation adds its two halves where a scalar one would `or` them: the halves share
  /// no bits, so the sum is the same, but LLVM does not recognize it as a rotation, which
  /// baseline x86-64 vectors lack and which it would otherwise compute lane by lane.
  @inlinable @inline(__always)
  mutating func round(_ r: UInt32) {
    a &+= b
    b = ((b &<< r) &+ (b &>> (32 &- r))) ^ a
  }

  /// The four rounds with rotations 13, 15, 26, 6.
  @inlinable @inline(__always)
  mutating func evenRounds() {
    round(13)
    round(15)
    round(26)
    round(6)
  }

  /// The four rounds with rotations 17, 29, 16, 24.
  @inlinable @inline(__always)
  mutating func oddRounds() {
    round(17)
    round(29)
    round(16)
    round(24)
  }

  /// The key injection between groups of rounds.
  @inlinable @inline(__always)
  mutating func inject(_ first: UInt32, _ second: UInt32) {
    a &+= SIMD16(repeating: first)
    b &+= SIMD16(repeating: second)
  }
}
