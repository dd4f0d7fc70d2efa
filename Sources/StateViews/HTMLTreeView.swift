import DataEffects
import ExplicitState
import Foundation

/// A model and its state as one self-contained HTML page: a foldable tree of the model in
/// which every entry links to its value, and every value shows its type, shape, statistics and
/// a picture. Penzai's Treescope, as a file.
///
/// ```swift
/// let view = HTMLTreeView(of: model, state: state, title: "MLP")
/// try view.write(to: "model.html")
/// ```
///
/// The page has no scripts and loads nothing: folding is HTML's own `<details>`, pictures are
/// inline SVG, the style is inline. Every name and value is escaped. Effect slots and handlers
/// show their handler IDs, coloured by effect as Penzai colours them. Long runs of siblings are
/// folded into counts, so that a model of any size gives a page of bounded size.
public struct HTMLTreeView: Sendable {
  /// The page.
  public let html: String

  /// How much of a large model the page shows.
  public struct Limits: Sendable {
    /// Siblings shown in full before a run of them is folded into a count.
    public var siblings: Int
    /// Tree nodes shown in full in all; the rest are counted.
    public var nodes: Int

    /// Limits of `siblings` and `nodes`.
    public init(siblings: Int = 12, nodes: Int = 2_000) {
      self.siblings = siblings
      self.nodes = nodes
    }
  }

  /// The page of `model` and, if given, `state`, the values of its entries.
  ///
  /// - Complexity: O(*n*) in the size of the model to walk it; the page itself is bounded by
  ///   `limits`.
  public init<Model: StateVisitable>(of model: Model, state: State? = nil, title: String = "Model", limits: Limits = Limits()) {
    var renderer = TreeRenderer(state: state, limits: limits)
    let tree = renderer.render(TreeRecorder.tree(of: model))
    var body = "<h1>\(escaped(title))</h1>\n<h2>Model</h2>\n" + tree
    if let state {
      body += "\n<h2>State</h2>\n" + renderer.renderValues(of: state)
    }
    html = page(title: title, body: body)
  }

  /// Writes the page to `path`, replacing any file there.
  ///
  /// - Throws: Foundation's error when the file cannot be written.
  public func write(to path: String) throws {
    try Data(html.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
  }
}

/// Turns a recorded tree into HTML, within limits.
struct TreeRenderer {
  let state: State?
  let limits: HTMLTreeView.Limits
  /// Nodes written so far.
  var written = 0
  /// The keys whose entries the tree showed, in order, each with its anchor's number.
  var shownKeys: [StateKey] = []

  init(state: State?, limits: HTMLTreeView.Limits) {
    self.state = state
    self.limits = limits
  }

  mutating func render(_ node: ViewNode) -> String {
    written += 1
    let head = "<span class=\"field\">\(escaped(node.label))</span> <span class=\"type\">\(escaped(node.typeName))</span>"
    switch node.kind {
    case .entry(let key, let initialValue):
      if let key {
        shownKeys.append(key)
        let anchor = "v\(shownKeys.count)"
        return "<div>\(head) <a class=\"key\" href=\"#\(anchor)\">\(escaped(key.path))</a></div>"
      }
      return "<div>\(head) = \(initialValue.map(ValueSummary.html(of:)) ?? "")</div>"
    case .parameter(let value):
      return "<div>\(head) <span class=\"note\">parameter</span> \(ValueSummary.html(of: value))</div>"
    case .slot(let effect, let handlerID, let description):
      let color = effectColor(effect)
      let owner = handlerID.map { " → <b>\(escaped($0))</b>" } ?? " <span class=\"note\">unhandled</span>"
      return "<div>\(head) <span class=\"slot\" style=\"background: \(color)\">\(escaped(truncated(description)))\(owner)</span></div>"
    case .handler(let id, let effect):
      let color = effect.map(effectColor) ?? "#999"
      return "<details open class=\"handler\" style=\"border-color: \(color)\"><summary>\(head) <b>\(escaped(id))</b></summary>\(renderChildren(node.children))</details>"
    case .node:
      if node.children.isEmpty { return "<div>\(head)</div>" }
      return "<details\(written < 60 ? " open" : "")><summary>\(head) <span class=\"note\">\(node.children.count)</span></summary>\(renderChildren(node.children))</details>"
    }
  }

  /// The children, a long run of them folded into a count of each type: the first
  /// `siblings − 2` and the last 2 are shown, and once `nodes` are written, none.
  mutating func renderChildren(_ children: [ViewNode]) -> String {
    let shown = children.count > limits.siblings
      ? Array(0..<(limits.siblings - 2)) + [children.count - 2, children.count - 1] : Array(children.indices)
    var html = ""
    var next = 0
    for index in shown {
      if written >= limits.nodes {
        return html + "<div class=\"folded\">\(escaped(foldedSummary(children[next...])))</div>"
      }
      if index > next { html += "<div class=\"folded\">\(escaped(foldedSummary(children[next..<index])))</div>" }
      html += render(children[index])
      next = index + 1
    }
    return html
  }

  /// "… 199,990 more: Moments ×199,990 (entries below: 399,980)".
  func foldedSummary(_ nodes: ArraySlice<ViewNode>) -> String {
    var types: [String: Int] = [:]
    var order: [String] = []
    var entries = 0
    for node in nodes {
      if types[node.typeName] == nil { order.append(node.typeName) }
      types[node.typeName, default: 0] += 1
      entries += Self.entryCount(node)
    }
    let kinds = order.prefix(4).map { "\($0) ×\(grouped(types[$0] ?? 0))" }.joined(separator: ", ")
    return "… \(grouped(nodes.count)) more, folded: \(kinds)" + (entries > 0 ? " (\(grouped(entries)) entries)" : "")
  }

  static func entryCount(_ node: ViewNode) -> Int {
    if case .entry = node.kind { return 1 }
    return node.children.reduce(0) { $0 + entryCount($1) }
  }

  /// The values of the entries the tree showed, each under its anchor, then a count of the rest.
  func renderValues(of state: State) -> String {
    var html = "<table><tr><th>key</th><th>value</th></tr>"
    for (index, key) in shownKeys.enumerated() {
      let value = (try? state.anyValue(for: key)).map(ValueSummary.html(of:)) ?? "<span class=\"note\">not in this state</span>"
      html += "<tr id=\"v\(index + 1)\"><td class=\"key\">\(escaped(key.path))</td><td>\(value)</td></tr>"
    }
    html += "</table>"
    let rest = state.count - shownKeys.count
    if rest > 0 {
      html += "<p class=\"folded\">… \(grouped(rest)) more entries of \(grouped(state.count)), folded with their nodes above.</p>"
    }
    return html
  }
}

/// `n` with thousands separated by commas.
func grouped(_ n: Int) -> String {
  let digits = String(n.magnitude)
  var result = ""
  for (index, digit) in digits.enumerated() {
    if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
    result.append(digit)
  }
  return (n < 0 ? "-" : "") + result
}
