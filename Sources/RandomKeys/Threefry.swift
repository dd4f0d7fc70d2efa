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
  var a0 = c.0 &+ k0
  var b0 = c.1 &+ k1
  var a1 = c.2 &+ k0
  var b1 = c.3 &+ k1
  var a2 = c.4 &+ k0
  var b2 = c.5 &+ k1
  var a3 = c.6 &+ k0
  var b3 = c.7 &+ k1
  a0 = a0 &+ b0; b0 = ((b0 << 13) | (b0 >> 19)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 13) | (b1 >> 19)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 13) | (b2 >> 19)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 13) | (b3 >> 19)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 15) | (b0 >> 17)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 15) | (b1 >> 17)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 15) | (b2 >> 17)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 15) | (b3 >> 17)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 26) | (b0 >> 6)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 26) | (b1 >> 6)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 26) | (b2 >> 6)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 26) | (b3 >> 6)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 6) | (b0 >> 26)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 6) | (b1 >> 26)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 6) | (b2 >> 26)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 6) | (b3 >> 26)) ^ a3
  a0 = a0 &+ k1; b0 = b0 &+ k2 &+ 1
  a1 = a1 &+ k1; b1 = b1 &+ k2 &+ 1
  a2 = a2 &+ k1; b2 = b2 &+ k2 &+ 1
  a3 = a3 &+ k1; b3 = b3 &+ k2 &+ 1
  a0 = a0 &+ b0; b0 = ((b0 << 17) | (b0 >> 15)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 17) | (b1 >> 15)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 17) | (b2 >> 15)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 17) | (b3 >> 15)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 29) | (b0 >> 3)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 29) | (b1 >> 3)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 29) | (b2 >> 3)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 29) | (b3 >> 3)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 16) | (b0 >> 16)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 16) | (b1 >> 16)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 16) | (b2 >> 16)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 16) | (b3 >> 16)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 24) | (b0 >> 8)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 24) | (b1 >> 8)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 24) | (b2 >> 8)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 24) | (b3 >> 8)) ^ a3
  a0 = a0 &+ k2; b0 = b0 &+ k0 &+ 2
  a1 = a1 &+ k2; b1 = b1 &+ k0 &+ 2
  a2 = a2 &+ k2; b2 = b2 &+ k0 &+ 2
  a3 = a3 &+ k2; b3 = b3 &+ k0 &+ 2
  a0 = a0 &+ b0; b0 = ((b0 << 13) | (b0 >> 19)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 13) | (b1 >> 19)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 13) | (b2 >> 19)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 13) | (b3 >> 19)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 15) | (b0 >> 17)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 15) | (b1 >> 17)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 15) | (b2 >> 17)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 15) | (b3 >> 17)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 26) | (b0 >> 6)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 26) | (b1 >> 6)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 26) | (b2 >> 6)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 26) | (b3 >> 6)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 6) | (b0 >> 26)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 6) | (b1 >> 26)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 6) | (b2 >> 26)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 6) | (b3 >> 26)) ^ a3
  a0 = a0 &+ k0; b0 = b0 &+ k1 &+ 3
  a1 = a1 &+ k0; b1 = b1 &+ k1 &+ 3
  a2 = a2 &+ k0; b2 = b2 &+ k1 &+ 3
  a3 = a3 &+ k0; b3 = b3 &+ k1 &+ 3
  a0 = a0 &+ b0; b0 = ((b0 << 17) | (b0 >> 15)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 17) | (b1 >> 15)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 17) | (b2 >> 15)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 17) | (b3 >> 15)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 29) | (b0 >> 3)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 29) | (b1 >> 3)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 29) | (b2 >> 3)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 29) | (b3 >> 3)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 16) | (b0 >> 16)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 16) | (b1 >> 16)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 16) | (b2 >> 16)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 16) | (b3 >> 16)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 24) | (b0 >> 8)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 24) | (b1 >> 8)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 24) | (b2 >> 8)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 24) | (b3 >> 8)) ^ a3
  a0 = a0 &+ k1; b0 = b0 &+ k2 &+ 4
  a1 = a1 &+ k1; b1 = b1 &+ k2 &+ 4
  a2 = a2 &+ k1; b2 = b2 &+ k2 &+ 4
  a3 = a3 &+ k1; b3 = b3 &+ k2 &+ 4
  a0 = a0 &+ b0; b0 = ((b0 << 13) | (b0 >> 19)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 13) | (b1 >> 19)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 13) | (b2 >> 19)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 13) | (b3 >> 19)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 15) | (b0 >> 17)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 15) | (b1 >> 17)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 15) | (b2 >> 17)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 15) | (b3 >> 17)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 26) | (b0 >> 6)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 26) | (b1 >> 6)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 26) | (b2 >> 6)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 26) | (b3 >> 6)) ^ a3
  a0 = a0 &+ b0; b0 = ((b0 << 6) | (b0 >> 26)) ^ a0
  a1 = a1 &+ b1; b1 = ((b1 << 6) | (b1 >> 26)) ^ a1
  a2 = a2 &+ b2; b2 = ((b2 << 6) | (b2 >> 26)) ^ a2
  a3 = a3 &+ b3; b3 = ((b3 << 6) | (b3 >> 26)) ^ a3
  a0 = a0 &+ k2; b0 = b0 &+ k0 &+ 5
  a1 = a1 &+ k2; b1 = b1 &+ k0 &+ 5
  a2 = a2 &+ k2; b2 = b2 &+ k0 &+ 5
  a3 = a3 &+ k2; b3 = b3 &+ k0 &+ 5
  return (a0, b0, a1, b1, a2, b2, a3, b3)
}
