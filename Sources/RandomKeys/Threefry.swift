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

/// Threefry-2x32 on four counters at once, each exactly as `threefry2x32` computes it.
///
/// One block is a chain of 80 dependent operations; four independent chains, interleaved,
/// let the processor run them side by side. (Swift's `SIMD` integer shifts compile lane by
/// lane here, so plain scalars are faster.)
@inlinable
func threefry2x32(
  key: (UInt32, UInt32), counters c: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
) -> (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) {
  let k0 = key.0
  let k1 = key.1
  let k2 = k0 ^ k1 ^ 0x1BD1_1BDA
  var lanes = ThreefryLanes(
    a0: c.0 &+ k0, b0: c.1 &+ k1, a1: c.2 &+ k0, b1: c.3 &+ k1,
    a2: c.4 &+ k0, b2: c.5 &+ k1, a3: c.6 &+ k0, b3: c.7 &+ k1)
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
  return (lanes.a0, lanes.b0, lanes.a1, lanes.b1, lanes.a2, lanes.b2, lanes.a3, lanes.b3)
}

/// The state of four threefry blocks, advanced round by round in step.
@usableFromInline
struct ThreefryLanes {
  @usableFromInline var a0, b0, a1, b1, a2, b2, a3, b3: UInt32

  @inlinable
  init(a0: UInt32, b0: UInt32, a1: UInt32, b1: UInt32, a2: UInt32, b2: UInt32, a3: UInt32, b3: UInt32) {
    (self.a0, self.b0, self.a1, self.b1, self.a2, self.b2, self.a3, self.b3) = (a0, b0, a1, b1, a2, b2, a3, b3)
  }

  /// One round on every lane: add, rotate by `r`, xor.
  @inlinable @inline(__always)
  mutating func round(_ r: UInt32) {
    a0 = a0 &+ b0
    a1 = a1 &+ b1
    a2 = a2 &+ b2
    a3 = a3 &+ b3
    b0 = ((b0 &<< r) | (b0 &>> (32 &- r))) ^ a0
    b1 = ((b1 &<< r) | (b1 &>> (32 &- r))) ^ a1
    b2 = ((b2 &<< r) | (b2 &>> (32 &- r))) ^ a2
    b3 = ((b3 &<< r) | (b3 &>> (32 &- r))) ^ a3
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
    a0 = a0 &+ first
    a1 = a1 &+ first
    a2 = a2 &+ first
    a3 = a3 &+ first
    b0 = b0 &+ second
    b1 = b1 &+ second
    b2 = b2 &+ second
    b3 = b3 &+ second
  }
}
