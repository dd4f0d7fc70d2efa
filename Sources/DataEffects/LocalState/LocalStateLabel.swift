/// The category and explicit name of a local-state request, in one object that copies of the
/// request, the reference a handler makes of it and the request freezing makes of that share.
///
/// Behind one reference, the strings keep every request within three words for a value of up
/// to two (a `Tensor`), and so `LocalStateEffect` too: a layer holding one then fits inline in
/// an `AnyLayer` instead of in a heap box of its own, and freezing a layer allocates nothing for
/// its request's strings. The object is also an initial request's identity: copies of one
/// request share it, separately made requests do not.
@usableFromInline
final class LocalStateLabel: Sendable {
  /// The kind of state.
  @usableFromInline let category: String
  /// The explicit name, or `nil` to be named by the request's path.
  @usableFromInline let name: String?

  @usableFromInline
  init(category: String, name: String?) {
    self.category = category
    self.name = name
  }
}
