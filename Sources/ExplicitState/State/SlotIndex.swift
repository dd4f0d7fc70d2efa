/// Finds the slot of a key that was not exported with the state: an open-addressing table
/// over the keys' path hashes.
///
/// A key exported with the state carries its slot and never comes here. Other keys (parsed
/// from a checkpoint's names, made by hand, or from another export of the same model) are
/// looked up by the hash their path node computed once, so a lookup hashes nothing: it probes
/// buckets and compares paths. The table is built, and duplicate paths found, in one pass.
@usableFromInline
struct SlotIndex: Sendable {
  /// Slot plus one for each bucket, 0 for an empty one; a power-of-two count, at most half
  /// full, so linear probing stays short.
  private let buckets: [Int]

  /// The index of no keys.
  static let empty = SlotIndex(buckets: [0])

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
      var bucket = key.node.hash & mask
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
  /// - Complexity: O(1) expected; comparing paths is O(*d*) in their depth only when two
  ///   different paths share a hash.
  func slot(of key: StateKey, in keys: [StateKey]) -> Int? {
    buckets.withUnsafeBufferPointer { buckets in
      let mask = buckets.count - 1
      var bucket = key.node.hash & mask
      while case let stored = buckets[bucket], stored != 0 {
        if keys[stored - 1] == key { return stored - 1 }
        bucket = (bucket + 1) & mask
      }
      return nil
    }
  }
}
