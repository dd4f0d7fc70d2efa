import ExplicitState
import Foundation
import TensorLayers

/// Two states of one model side by side, as one self-contained HTML page: the entries that
/// changed, highlighted with the size of each change, largest first, then counts of the
/// unchanged, added and removed entries. For a state before and after training, say.
///
/// ```swift
/// try HTMLStateDiff(from: initialState, to: trainedState, title: "Training").write(to: "diff.html")
/// ```
public struct HTMLStateDiff: Sendable {
  /// The page.
  public let html: String

  /// The page of the changes from `before` to `after`, listing at most `limit` changed entries.
  ///
  /// A tensor's change is its largest elementwise difference and its relative size,
  /// ‖after − before‖ / ‖before‖; a number's, the difference; any other value's, whether its
  /// description changed.
  ///
  /// - Complexity: O(*n*) in the states' size.
  public init(from before: State, to after: State, title: String = "State diff", limit: Int = 500) {
    var changes: [(key: StateKey, size: Double, html: String)] = []
    var unchanged = 0
    for key in after.keys {
      guard let old = try? before.anyValue(for: key), let new = try? after.anyValue(for: key) else { continue }
      if let change = Self.change(from: old, to: new) {
        changes.append((key, change.size, change.html))
      } else {
        unchanged += 1
      }
    }
    changes.sort { $0.size > $1.size }
    let added = after.keys.filter { !before.contains($0) }
    let removed = before.keys.filter { !after.contains($0) }
    var body = "<h1>\(escaped(title))</h1>\n"
    body += "<p>\(grouped(changes.count)) changed, \(grouped(unchanged)) unchanged, \(grouped(added.count)) added, \(grouped(removed.count)) removed.</p>\n"
    body += "<table><tr><th>key</th><th>change</th><th>after</th></tr>"
    for change in changes.prefix(limit) {
      let value = (try? after.anyValue(for: change.key)).map(ValueSummary.html(of:)) ?? ""
      body += "<tr class=\"changed\"><td class=\"key\">\(escaped(change.key.path))</td><td>\(change.html)</td><td>\(value)</td></tr>"
    }
    body += "</table>"
    if changes.count > limit { body += "<p class=\"folded\">… \(grouped(changes.count - limit)) more changed entries, smaller.</p>" }
    for (name, keys) in [("Added", added), ("Removed", removed)] where !keys.isEmpty {
      body += "<h2>\(name)</h2><p>" + keys.prefix(limit).map { "<span class=\"key\">\(escaped($0.path))</span>" }.joined(separator: ", ") + "</p>"
    }
    html = page(title: title, body: body)
  }

  /// Writes the page to `path`, replacing any file there.
  ///
  /// - Throws: Foundation's error when the file cannot be written.
  public func write(to path: String) throws {
    try Data(html.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  /// How `new` differs from `old`: a size to sort by and its description, or `nil` if equal.
  static func change(from old: any Sendable, to new: any Sendable) -> (size: Double, html: String)? {
    switch (old, new) {
    case (let a as Tensor, let b as Tensor):
      guard a.shape == b.shape else { return (.infinity, "shape \(escaped("\(a.shape)")) → \(escaped("\(b.shape)"))") }
      var largest = 0.0, difference = 0.0, norm = 0.0
      for (x, y) in zip(a.scalars, b.scalars) {
        let d = Double(y) - Double(x)
        largest = max(largest, abs(d))
        difference += d * d
        norm += Double(x) * Double(x)
      }
      guard largest > 0 || a.scalars.contains(where: \.isNaN) != b.scalars.contains(where: \.isNaN) else { return nil }
      let relative = norm > 0 ? (difference / norm).squareRoot() : difference.squareRoot()
      return (relative, "max |Δ| \(formatted(largest)), relative \(formatted(relative))")
    case (let a as Float, let b as Float):
      return a == b ? nil : (abs(Double(b - a)), "Δ \(formatted(Double(b - a)))")
    case (let a as Double, let b as Double):
      return a == b ? nil : (abs(b - a), "Δ \(formatted(b - a))")
    default:
      if let structure = old as? any StateVisitable, let other = new as? any StateVisitable,
        let a = try? exportParameters(structure), let b = try? exportParameters(other), a.keys == b.keys
      {
        let parts = a.keys.compactMap { key -> (Double, String)? in
          guard let x = try? a.anyValue(for: key), let y = try? b.anyValue(for: key), let change = change(from: x, to: y) else { return nil }
          return (change.size, "\(escaped(key.path)): \(change.html)")
        }
        guard !parts.isEmpty else { return nil }
        return (parts.map(\.0).max() ?? 0, parts.map(\.1).joined(separator: "<br>"))
      }
      let a = String(describing: old), b = String(describing: new)
      return a == b ? nil : (0, "\(escaped(truncated(a, limit: 60))) → \(escaped(truncated(b, limit: 60)))")
    }
  }
}
