/// Finds the slot of a key whose slot hint is wrong: an open-addressing table over the keys'
/// path numbers.
///
/// A key exported with the state carries its slot and never comes here. Other keys (parsed
/// from a checkpoint's names, made by hand) are looked up by their path number, so a lookup
/// probes buckets and compares integers. The table is built, and duplicate paths found, in
/// one pass.
@usableFromInline
struct StorageKeyIndex: Sendable {
  /// Slot plus one for each bucket, 0 for an empty one; a power-of-two count, at most half
  /// full, so linear probing stays short.
  private let buckets: [Int]

  /// The index of no keys.
  static let empty = StorageKeyIndex(buckets: [0])

  private init(buckets: [Int]) {
    self.buckets = buckets
  }

  /// Indexes `keys`, whose positions are their slots.
  ///
  /// - Throws: `StateError.duplicateKey` for the first path that occurs twice.
  /// - Complexity: O(*n*) expected.
  init(keys: [StateKey]) throws(StateError) {
    var capacity = 2
    while capacity < keys.count * 2 { capacity <<= 1 }
    let mask = capacity - 1
    var buckets = [Int](repeating: 0, count: capacity)
    for (slot, key) in keys.enumerated() {
      var bucket = Self.hash(key) & mask
      while buckets[bucket] != 0 {
        if keys[buckets[bucket] - 1] == key { throw .duplicateKey(key) }
        bucket = (bucket + 1) & mask
      }
      buckets[bucket] = slot + 1
    }
    self.buckets = buckets
  }

  /// The slot of the key spelling `key`'s path, given the keys this index was built over.
  ///
  /// - Complexity: O(1) expected.
  func slot(of key: StateKey, in keys: [StateKey]) -> Int? {
    buckets.withUnsafeBufferPointer { buckets in
      let mask = buckets.count - 1
      var bucket = Self.hash(key) & mask
      while case let stored = buckets[bucket], stored != 0 {
        if keys[stored - 1] == key { return stored - 1 }
        bucket = (bucket + 1) & mask
      }
      return nil
    }
  }

  /// Where a key's probe starts: its path number, spread by Fibonacci hashing so that
  /// numbers in a regular stride do not share buckets.
  private static func hash(_ key: StateKey) -> Int {
    Int(truncatingIfNeeded: (UInt64(UInt(bitPattern: key.pathNumber)) &* 0x9E37_79B9_7F4A_7C15) >> 20)
  }
}
