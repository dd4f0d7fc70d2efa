/// The category and explicit name of a local-state request, in one object that copies of the
/// request, the reference a handler makes of it and the request freezing makes of that share.
///
/// Behind one reference, the strings are counted once when a request, a reference or a slot is
/// copied, and freezing a layer, which turns its reference into a frozen request with the same
/// label, copies no string and allocates nothing for it. The object is also an initial
/// request's identity: copies of one request share it, separately made requests do not.
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
