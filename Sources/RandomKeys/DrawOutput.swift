/// The elements a draw writes, shared by the threads that draw its ranges.
///
/// Each thread writes only the elements of its own range, so no element is written twice or
/// read while written; that is why this may cross threads though a pointer may not.
@usableFromInline
struct DrawOutput<Element>: @unchecked Sendable {
  /// The first element; `nil` for an empty buffer, which no draw writes.
  @usableFromInline let base: UnsafeMutablePointer<Element>?

  /// The output `buffer`, which must stay allocated while the draw runs.
  @inlinable
  init(_ buffer: UnsafeMutableBufferPointer<Element>) {
    base = buffer.baseAddress
  }
}
