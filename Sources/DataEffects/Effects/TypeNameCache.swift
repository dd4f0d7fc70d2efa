/// Type names computed once per walk: a model repeats a few types many times, and formatting
/// a type's name is far slower than looking it up.
struct TypeNameCache {
  /// What a walk needs of one type's name.
  struct Names {
    /// `String(describing: type)`.
    let full: String
    /// The name without generic arguments: `baseTypeName(type)`.
    let base: String
    /// The digest of `full`, as `StructureDigest` digests a piece of text.
    let fullDigest: UInt64
  }

  private var names = TypeKeyedCache<Names>()

  /// The names of `type`.
  mutating func names(of type: Any.Type) -> Names {
    names.value(for: type) {
      let full = String(describing: type)
      return Names(full: full, base: String(full.prefix { $0 != "<" }), fullDigest: StructureDigest.pieceDigest(of: full))
    }
  }

  /// `String(describing: type)`.
  mutating func fullName(_ type: Any.Type) -> String { names(of: type).full }

  /// `baseTypeName(type)`.
  mutating func baseName(_ type: Any.Type) -> String { names(of: type).base }
}
