/// Where one value sits in a state's storage: its column (one per value type) and its
/// position in that column.
///
/// Packed in one word, `column << 32 | position`, so that an placement is an array of
/// words, and so that the editor's cache can key a leaf by the packed location shifted by the
/// leaf's width: the column stays in the high bits, apart from the leaf's number.
@usableFromInline
struct StorageLocation: Hashable, Sendable {
  /// `column << 32 | position`.
  @usableFromInline let packed: Int

  /// The location of `position` in `column`.
  @inlinable
  init(column: Int, position: Int) {
    assert(column >= 0 && column < 1 << 31, "a column number fits in 31 bits")
    assert(position >= 0 && position <= 0xFFFF_FFFF, "a position fits in 32 bits")
    packed = column &<< 32 | position
  }

  /// The column: one per value type in the state.
  @inlinable
  var column: Int { packed &>> 32 }

  /// The position in the column.
  @inlinable
  var position: Int { packed & 0xFFFF_FFFF }
}
