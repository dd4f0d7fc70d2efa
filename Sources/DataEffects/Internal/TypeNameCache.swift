/// Type names found once per walk: a model repeats a few types many times, and formatting a
/// type's name is far slower than looking it up. Names are formatted once per process
/// (`ProcessTypeCache`).
struct TypeNameCache {
  /// What a walk needs of one type's name.
  struct Names: Sendable {
    /// `String(describing: type)`.
    let full: String
    /// The name without generic arguments: `baseTypeName(type)`.
    let base: String
    /// The digest of `full`, as `StructureDigest` digests a piece of text.
    let fullDigest: UInt64
  }

  private var names = TypeKeyedCache<Names>()

  /// The position of the names of `type` in the cache.
  private mutating func index(of type: Any.Type) -> Int {
    names.index(of: type) {
      Self.formatted.value(for: type) {
        let full = String(describing: type)
        return Names(full: full, base: baseTypeName(of: full), fullDigest: StructureDigest.pieceDigest(of: full))
      }
    }
  }

  // Each accessor finds the position in a statement of its own: finding it may append to the
  // cache, which an expression such as `names[index(of: type)]` would read before the append.

  /// `String(describing: type)`.
  mutating func fullName(_ type: Any.Type) -> String {
    let index = index(of: type)
    return names[index].full
  }

  /// `baseTypeName(type)`.
  mutating func baseName(_ type: Any.Type) -> String {
    let index = index(of: type)
    return names[index].base
  }

  /// The digest of `fullName(type)`, as `StructureDigest` digests a piece of text.
  mutating func fullNameDigest(_ type: Any.Type) -> UInt64 {
    let index = index(of: type)
    return names[index].fullDigest
  }
}
