/// The positions of the states' names, found by a hash of their bytes: what
/// `handleLocalStates` looks each request's name up in. An open-addressing table over an
/// FNV-1a hash of the name's UTF-8, which never holds more than half its buckets.
// Handling names every state, and hashing each name through `Hasher` into a dictionary was a
// tenth of its work.
struct NameIndex {
  /// Position plus one for each bucket, 0 for an empty one.
  private var buckets = [Int](repeating: 0, count: 16)
  /// The hash of the name at each position.
  private var hashes: [UInt64] = []

  /// The hash of `name`: the FNV-1a hash the handler-ID digest computes for a piece of text,
  /// its high bits folded into the low ones that pick a bucket.
  static func hash(of name: String) -> UInt64 {
    let hash = StructureDigest.pieceDigest(of: name)
    return hash ^ (hash >> 32)
  }

  /// The position of `name`, whose hash is `hash`, given the names indexed so far.
  func position(of name: String, hash: UInt64, in names: [String]) -> Int? {
    let mask = buckets.count - 1
    var bucket = Int(truncatingIfNeeded: hash) & mask
    while case let stored = buckets[bucket], stored != 0 {
      if hashes[stored - 1] == hash, names[stored - 1] == name { return stored - 1 }
      bucket = (bucket + 1) & mask
    }
    return nil
  }

  /// Indexes the next position, whose name has hash `hash`.
  mutating func append(hash: UInt64) {
    hashes.append(hash)
    if hashes.count * 2 > buckets.count {
      buckets = [Int](repeating: 0, count: buckets.count * 2)
      for position in hashes.indices { place(position) }
    } else {
      place(hashes.count - 1)
    }
  }

  private mutating func place(_ position: Int) {
    let mask = buckets.count - 1
    var bucket = Int(truncatingIfNeeded: hashes[position]) & mask
    while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
    buckets[bucket] = position + 1
  }
}
