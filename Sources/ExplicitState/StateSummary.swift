/// A type whose values print as a short summary inside states and model trees.
///
/// A state prints one line per entry; conform your array type so its values read as a
/// summary (`Float[16, 64]`) rather than every element.
public protocol CustomStateSummaryConvertible {
  /// A one-line summary of the value, such as `Float[16]`.
  var stateSummary: String { get }
}

/// A one-line summary of `value`, for printing states and trees.
///
/// Uses `CustomStateSummaryConvertible` when the value conforms; otherwise the value's
/// description on one line, shortened to 60 characters.
package func stateSummary(of value: Any) -> String {
  if let summarizable = value as? any CustomStateSummaryConvertible {
    return summarizable.stateSummary
  }
  if let string = value as? String { return String(reflecting: string) }
  let text = String(describing: value).split(whereSeparator: \.isNewline).joined(separator: " ")
  return text.count > 60 ? String(text.prefix(59)) + "…" : text
}
