import Foundation
import StateKeys
import Testing

// Mirrors of Guides/Visualization.md: each region is a code block of the guide, verbatim.

@Suite("Guide: Visualization.md")
struct VisualizationGuideTests {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guide-views-\(UUID().uuidString)")

  @Test func thePagesAreWritten() throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let x = try Tensor.normal([8, 16], key: RandomKey(seed: 3))
    let pagePath = folder.appendingPathComponent("mlp.html").path
    let diffPath = folder.appendingPathComponent("mlp-diff.html").path

    // snippet: visualization-first-example
    let (model, state) = try exportState(MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0)))
    let (_, updated) = try model(x, state)
    try HTMLTreeView(of: model, state: updated, title: "MLP").write(to: pagePath)
    try HTMLStateDiff(from: state, to: updated, title: "One call").write(to: diffPath)
    // open mlp.html in a browser: the tree, each entry linked to its value
    // end-snippet
    let page = try String(contentsOfFile: pagePath, encoding: .utf8)
    for key in updated.keys { #expect(page.contains(">\(key.path)</a>")) }
    let diff = try String(contentsOfFile: diffPath, encoding: .utf8)
    #expect(diff.contains("4 changed, 0 unchanged"))
  }

  @Test func aLargeModelIsFolded() throws {
    // snippet: visualization-limits
    let (wide, wideState) = try exportState(MomentsStack(count: 100_000))
    let html = HTMLTreeView(of: wide, state: wideState, limits: .init(siblings: 12, nodes: 2_000)).html
    // … 99,988 more, folded: Moments ×99,988 (199,976 entries)
    // end-snippet
    #expect(html.contains("… 99,988 more, folded: Moments ×99,988 (199,976 entries)"))
    #expect(html.utf8.count < 100_000)
  }
}

/// `count` Moments layers, for the guide's large model.
struct MomentsStack: StateVisitable {
  var layers: [Moments]

  init(count: Int) throws {
    layers = try (0..<count).map { _ in try Moments(features: 4) }
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("layers", &layers)
  }
}
