import StateKeysSupport

/// The hash by which the path registry finds a path: its parent's number and its last
/// component.
///
/// Exporting looks up a path per entry, so hashing is on the export's hot path. `Hasher` runs
/// SipHash through resilient calls; this is a multiply-xorshift mix of the parent's number and
/// the component, a few dozen instructions. A per-process seed, as `Hasher` has, keeps
/// adversarial names (from a checkpoint, say) from choosing colliding hashes.
enum PathHash {
  /// The hash of the path numbered `parent` extended by `component`.
  static func extending(_ parent: Int, with component: PathComponent) -> Int {
    var state = (UInt64(UInt(bitPattern: parent)) ^ seed) &* 0x9E37_79B9_7F4A_7C15
    switch component {
    case .field(let name): state ^= bytes(of: name, kind: 1)
    case .index(let index): state ^= Hashing.finalized(UInt64(UInt(bitPattern: index)) ^ 2)
    case .key(let key): state ^= bytes(of: key, kind: 3)
    case .name(let name): state ^= bytes(of: name, kind: 4)
    }
    return Int(bitPattern: UInt(truncatingIfNeeded: Hashing.finalized(state)))
  }

  /// FNV-1a over the UTF-8 bytes of `string`, started from the component's kind.
  private static func bytes(of string: String, kind: UInt64) -> UInt64 {
    Hashing.finalized(Hashing.fnv1a(string, continuing: Hashing.fnvOffsetBasis ^ kind))
  }
}
