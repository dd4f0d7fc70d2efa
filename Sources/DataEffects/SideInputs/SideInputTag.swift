/// The tag that names a side input: a string, or a tag moved out of its handler by
/// `hoistConstantSideInputs(_:hoistPredicate:scoped:)` (Penzai's `HoistedTag`).
public indirect enum SideInputTag: Hashable, Sendable, Comparable, ExpressibleByStringLiteral {
  /// A tag given by name.
  case named(String)
  /// A tag hoisted out of the handler at `source` (a path, `""` for the root).
  case hoisted(source: String, tag: SideInputTag)

  /// A named tag.
  public init(stringLiteral value: String) {
    self = .named(value)
  }
}

extension SideInputTag: CustomStringConvertible {
  /// `"foo"`, or `HoistedTag(source: "", tag: "foo")`.
  public var description: String {
    switch self {
    case .named(let name): return "\"\(name)\""
    case .hoisted(let source, let tag): return "HoistedTag(source: \"\(source)\", tag: \(tag))"
    }
  }
}
