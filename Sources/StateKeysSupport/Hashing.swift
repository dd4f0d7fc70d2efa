/// The package's two hashing steps, each written once: FNV-1a over a string's UTF-8 bytes, and
/// MurmurHash3's 64-bit finalizer. Package access: the path registry's hash, `DataEffects`'
/// digest of a tree's structure (which handler IDs are made from) and its index of state
/// names use them.
///
/// Changing either changes every inferred handler ID, which tests pin.
package enum Hashing {
  /// FNV-1a's offset basis: the hash of no bytes.
  package static let fnvOffsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

  /// `hash` extended over the UTF-8 bytes of `text` by FNV-1a.
  ///
  /// - Complexity: O(*n*) in the length of `text`.
  @inlinable
  package static func fnv1a(_ text: String, continuing hash: UInt64 = fnvOffsetBasis) -> UInt64 {
    var hash = hash
    // Through a buffer: iterating `utf8` decodes each byte through the string's storage kind.
    var text = text
    text.withUTF8 { bytes in
      for byte in bytes {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
      }
    }
    return hash
  }

  /// The finalizer of MurmurHash3: every input bit moves every output bit.
  @inlinable
  package static func finalized(_ value: UInt64) -> UInt64 {
    var x = value
    x ^= x >> 33
    x = x &* 0xff51_afd7_ed55_8ccd
    x ^= x >> 33
    x = x &* 0xc4ce_b9fe_1a85_ec53
    x ^= x >> 33
    return x
  }
}
