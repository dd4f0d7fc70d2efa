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
