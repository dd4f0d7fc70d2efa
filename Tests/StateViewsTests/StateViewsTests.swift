import DataEffects
import ExplicitState
import Foundation
import RandomKeys
import StateViews
import TensorLayers
import TestSupport
import Testing

/// The tags a page may hold: the page's skeleton, text, tables, folding and SVG pictures.
let allowedTags: Set<String> = [
  "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "div", "span", "b", "a", "code", "details",
  "summary", "table", "tr", "th", "td", "svg", "rect", "br",
]

/// The names of the tags that `html` opens, and of the attributes in them.
func tagsAndAttributes(of html: String) -> (tags: Set<String>, attributes: Set<String>) {
  var tags: Set<String> = [], attributes: Set<String> = []
  let tagPattern = try! NSRegularExpression(pattern: "<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
  let attributePattern = try! NSRegularExpression(pattern: "\\s([a-zA-Z-]+)=")
  let range = NSRange(html.startIndex..., in: html)
  for match in tagPattern.matches(in: html, range: range) {
    tags.insert(String(html[Range(match.range(at: 1), in: html)!]).lowercased())
    let inside = String(html[Range(match.range(at: 2), in: html)!])
    for attribute in attributePattern.matches(in: inside, range: NSRange(inside.startIndex..., in: inside)) {
      attributes.insert(String(inside[Range(attribute.range(at: 1), in: inside)!]).lowercased())
    }
  }
  return (tags, attributes)
}

/// A model whose dictionary keys and values are hostile text.
struct HostileModel: StateVisitable {
  var notes: [String: StateEntry<String>] = [
    "<script>alert(1)</script>": StateEntry("\"><img src=x onerror=alert(1)>"),
    "a&b'\"<": StateEntry("</td></tr></table><script>evil()</script>"),
    "Ωμέγα 🚀 \u{202E}": StateEntry("&amp; &#x3C; ]]> <!--"),
  ]
  var weight = StateEntry(try! Tensor(shape: [2, 2], scalars: [1, -1, .nan, .infinity]))

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("notes", &notes)
    visitor.visit("weight", &weight)
  }
}

/// `count` entries in one array.
struct Wide: StateVisitable {
  var entries: [StateEntry<Float>]

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("entries", &entries)
  }
}

@Suite("HTML tree view: a model and its state as one page")
struct HTMLTreeViewTests {
  @Test func thePageShowsEveryKeyAndLinksItsValue() throws {
    let (model, state) = try exportState(InoxMLP(key: RandomKey(seed: 0)))
    let html = HTMLTreeView(of: model, state: state, title: "Inox MLP").html
    for key in state.keys {
      #expect(html.contains(">\(key.path)</a>"), "the tree shows \(key.path)")
    }
    #expect(html.contains("href=\"#v1\"") && html.contains("id=\"v1\""))
    #expect(html.contains("float32[64]") && html.contains("mean ") && html.contains("<svg"))
    #expect(html.contains("parameter"), "parameters are shown")
    #expect(!html.contains("<script") && !html.contains("http"))
  }

  @Test func effectSlotsShowTheirHandlerInItsColour() throws {
    let model = Sequential([Elementwise(.relu), try StochasticDropout(dropRate: 0.5)])
    let handled = try WithRandomKeyFromArg.handling(model)
    let html = HTMLTreeView(of: handled).html
    #expect(html.contains(handled.handlerID))
    #expect(html.contains("#df982b"), "random effects in Penzai's colour")
    #expect(html.contains("HandledRandomRef") || html.contains(handled.handlerID + "</b>"))
  }

  @Test func hostileNamesAndValuesCannotInjectMarkup() throws {
    let model = HostileModel()
    let (exported, state) = try exportState(model)
    for html in [HTMLTreeView(of: model).html, HTMLTreeView(of: exported, state: state, title: "<b>title</b>").html] {
      let (tags, attributes) = tagsAndAttributes(of: html)
      #expect(tags.isSubset(of: allowedTags), "unexpected tags: \(tags.subtracting(allowedTags))")
      #expect(!attributes.contains { $0.hasPrefix("on") }, "event handler attributes: \(attributes)")
      #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
      #expect(html.contains("Ωμέγα 🚀"))
      #expect(!html.contains("<!--"))
    }
    let withState = HTMLTreeView(of: exported, state: state).html
    #expect(withState.contains("NaN 1") && withState.contains("inf 1"), "NaN and infinity counts")
  }

  @Test func aLargeStateRendersIntoABoundedPage() throws {
    let (model, state) = try exportState(Wide(entries: (0..<200_000).map { StateEntry(Float($0)) }))
    let html = HTMLTreeView(of: model, state: state).html
    #expect(html.utf8.count < 200_000, "\(html.utf8.count) bytes")
    #expect(html.contains("… 199,988 more, folded: StateEntry ×199,988 (199,988 entries)"))
    #expect(html.contains("… 199,988 more entries of 200,000"))
  }

  @Test func theDiffHighlightsWhatChanged() throws {
    let (model, before) = try exportState(InoxMLP(key: RandomKey(seed: 0)))
    var after = before
    try after.modify(model.inStats.first) { $0 = $0 + 0.5 }
    let html = HTMLStateDiff(from: before, to: after, title: "one change").html
    #expect(html.contains("1 changed, \(before.count - 1) unchanged, 0 added, 0 removed."))
    #expect(html.contains("class=\"changed\"><td class=\"key\">\(try #require(model.inStats.first.key).path)</td>"))
    #expect(html.contains("max |Δ| 0.5"))
    #expect(HTMLStateDiff(from: before, to: before).html.contains("0 changed"))
  }
}

/// Chromium, if installed: `.ci/run` installs it and sets `STATEKEYS_REQUIRE_CHROMIUM=1`.
let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}

@Suite("HTML tree view: the page in a real browser")
struct ChromiumTests {
  @Test func chromiumIsAvailableWhereRequired() {
    if ProcessInfo.processInfo.environment["STATEKEYS_REQUIRE_CHROMIUM"] == "1", chromium == nil {
      Issue.record("STATEKEYS_REQUIRE_CHROMIUM=1, but Chromium is not installed (apt-get install chromium).")
    }
  }

  @Test(.enabled(if: chromium != nil, "Chromium is not installed: apt-get install chromium"))
  func thePageRendersWithEveryKeyInTheDOM() throws {
    let (model, state) = try exportState(InoxMLP(key: RandomKey(seed: 0)))
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("treeview-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let page = folder.appendingPathComponent("model.html")
    try HTMLTreeView(of: model, state: state, title: "Inox MLP").write(to: page.path)
    let dom = try runChromium(["--dump-dom", page.absoluteString])
    for key in state.keys { #expect(dom.contains(key.path), "the DOM holds \(key.path)") }
    #expect(dom.contains("<svg"))
    let screenshot = folder.appendingPathComponent("model.png")
    _ = try runChromium(["--screenshot=\(screenshot.path)", "--window-size=1000,800", page.absoluteString])
    let png = try Data(contentsOf: screenshot)
    #expect(png.count > 1_000 && png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
  }
}

/// Runs headless Chromium with `arguments` and returns its standard output.
func runChromium(_ arguments: [String]) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: chromium ?? "chromium")
  process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"] + arguments
  let output = Pipe()
  process.standardOutput = output
  process.standardError = FileHandle.nullDevice
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return String(decoding: data, as: UTF8.self)
}

