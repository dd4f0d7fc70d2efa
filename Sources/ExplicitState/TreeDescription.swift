/// A multi-line picture of a module tree, with the keys of exported entries in place.
///
/// ```text
/// MLP(
///   inStats: Moments(
///     first: StateKey(".inStats.first"),
///     second: StateKey(".inStats.second")
///   ),
///   l1: Linear(weight: Float[16, 64], bias: Float[64]),
///   ...
/// )
/// ```
///
/// A debugging aid built on `Mirror`: it reads any value, conforming or not, and is as slow as
/// reflection is. Values that conform to `CustomStateSummaryConvertible` print as their
/// summary; a node whose children fit on one line of 80 characters prints on one line.
public func treeDescription(of value: Any) -> String {
  TreePrinter().render(value, indent: "")
}

private struct TreePrinter {
  let lineWidth = 80

  func render(_ value: Any, indent: String) -> String {
    if value is any CustomStateSummaryConvertible || value is any StateEntryDescribable {
      return stateSummary(of: value)
    }
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .optional:
      guard let wrapped = mirror.children.first else { return "nil" }
      return render(wrapped.value, indent: indent)
    case .struct, .class:
      let name = String(describing: type(of: value))
      let fields = mirror.children.map { child in
        (label: (child.label ?? "_") + ": ", value: child.value)
      }
      return group(open: name + "(", close: ")", fields, indent: indent)
    case .tuple:
      let fields = mirror.children.map { child in
        (label: (child.label.map { $0.hasPrefix(".") ? "" : $0 + ": " } ?? ""), value: child.value)
      }
      return group(open: "(", close: ")", fields, indent: indent)
    case .collection, .set:
      return group(open: "[", close: "]", mirror.children.map { ("", $0.value) }, indent: indent)
    case .dictionary:
      let pairs = mirror.children.compactMap { pair -> (key: String, value: Any)? in
        let parts = Array(Mirror(reflecting: pair.value).children)
        guard parts.count == 2 else { return nil }
        return (stateSummary(of: parts[0].value), parts[1].value)
      }.sorted { $0.key < $1.key }
      if pairs.isEmpty { return "[:]" }
      return group(open: "[", close: "]", pairs.map { ($0.key + ": ", $0.value) }, indent: indent)
    default:
      return stateSummary(of: value)
    }
  }

  func group(
    open: String, close: String, _ fields: [(label: String, value: Any)], indent: String
  ) -> String {
    if fields.isEmpty { return open + close }
    let inner = indent + "  "
    let rendered = fields.map { $0.label + render($0.value, indent: inner) }
    let oneLine = open + rendered.joined(separator: ", ") + close
    if !oneLine.contains("\n"), indent.count + oneLine.count <= lineWidth { return oneLine }
    return open + "\n" + rendered.map { inner + $0 }.joined(separator: ",\n") + "\n" + indent + close
  }
}

/// Entries print as themselves in trees: their value's summary, or their key.
protocol StateEntryDescribable: CustomStringConvertible {}

extension StateEntry: StateEntryDescribable {}
