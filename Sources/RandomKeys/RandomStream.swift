/// A stream of random keys: Penzai's `RandomStream` as a value.
///
/// Each `nextKey()` returns `base.foldIn(offset)` and advances the offset, so a stream from
/// `base` yields `foldIn(0)`, `foldIn(1)`, `foldIn(2)`, ...: the keys Penzai's random-effect
/// handlers give layers, in call order.
///
/// ```swift
/// var stream = RandomStream(base: RandomKey(seed: 0))
/// let a = stream.nextKey()   // key.foldIn(0)
/// let b = stream.nextKey()   // key.foldIn(1)
/// ```
public struct RandomStream: Hashable, Sendable {
  /// The key every key of the stream is folded from.
  public let base: RandomKey
  /// The offset the next key is folded with.
  public private(set) var offset: UInt32

  /// Creates a stream over `base` whose first key is `base.foldIn(offset)`.
  public init(base: RandomKey, offset: UInt32 = 0) {
    self.base = base
    self.offset = offset
  }

  /// Returns the next key of the stream and advances it.
  ///
  /// After 2³² keys the offset wraps to zero, as a `uint32` does in JAX, and the stream
  /// repeats.
  ///
  /// - Complexity: O(1).
  public mutating func nextKey() -> RandomKey {
    defer { offset &+= 1 }
    return base.foldIn(offset)
  }
}
