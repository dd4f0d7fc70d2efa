import Foundation
import Testing

/// Every ```swift block of every guide is tagged and equals a test region that runs it, and
/// every test region belongs to a guide block: a guide cannot drift from its tests.
@Suite("Guides: every code block is a test")
struct GuideSnippetTests {
  /// The guides, and the README, whose example is held to the same rule.
  static let guides = GuideSnippets.files(under: "Guides", extension: "md")
    + [GuideSnippets.packageRoot.appendingPathComponent("README.md")]

  @Test func theGuidesAreFound() {
    #expect(Self.guides.map(\.lastPathComponent).contains("ExplicitState.md"))
    #expect(Self.guides.map(\.lastPathComponent).filter { $0 == "README.md" }.count == 2)
  }

  @Test(arguments: guides.map { $0.path.replacingOccurrences(of: GuideSnippets.packageRoot.path + "/", with: "") })
  func everyBlockIsTaggedAndEqualsItsTestRegion(guide: String) throws {
    let text = try String(contentsOf: GuideSnippets.packageRoot.appendingPathComponent(guide), encoding: .utf8)
    let regions = Dictionary(GuideSnippets.allRegions().map { ($0.region.name, $0) }) { first, _ in first }
    for block in GuideSnippets.blocks(inMarkdown: text) {
      guard let name = block.name else {
        Issue.record("\(guide):\(block.line): a ```swift block has no <!-- snippet: NAME --> tag on the line above")
        continue
      }
      guard let mirror = regions[name] else {
        Issue.record("\(guide):\(block.line): snippet '\(name)' has no test region (// snippet: \(name))")
        continue
      }
      #expect(
        mirror.region.code == block.code,
        "\(guide):\(block.line): snippet '\(name)' differs from its test copy in \(mirror.file):\(mirror.region.line)")
    }
  }

  @Test func everyTestRegionIsAGuideBlock() throws {
    var guideNames: Set<String> = []
    for url in Self.guides {
      let text = try String(contentsOf: url, encoding: .utf8)
      guideNames.formUnion(GuideSnippets.blocks(inMarkdown: text).compactMap(\.name))
    }
    for (file, region) in GuideSnippets.allRegions() where !guideNames.contains(region.name) {
      Issue.record("\(file):\(region.line): test region '\(region.name)' is in no guide")
    }
  }

  @Test func snippetNamesAreUnique() throws {
    var guideNames: [String] = []
    for url in Self.guides {
      guideNames += GuideSnippets.blocks(inMarkdown: try String(contentsOf: url, encoding: .utf8)).compactMap(\.name)
    }
    let regionNames = GuideSnippets.allRegions().map(\.region.name)
    #expect(Set(guideNames).count == guideNames.count, "a snippet name is used by two guide blocks")
    #expect(Set(regionNames).count == regionNames.count, "a snippet name is used by two test regions")
    #expect(!regionNames.isEmpty)
  }

  @Test func theIndexListsEveryGuide() throws {
    let index = try String(
      contentsOf: GuideSnippets.packageRoot.appendingPathComponent("Guides/README.md"), encoding: .utf8)
    for guide in GuideSnippets.files(under: "Guides", extension: "md").map(\.lastPathComponent) where guide != "README.md" {
      #expect(index.contains("(\(guide))"), "Guides/README.md does not link \(guide)")
    }
  }

  /// The parser is checked on inline text, so a parser bug cannot make the suite pass vacuously.
  @Test func theParserFindsTagsBlocksAndRegions() {
    let markdown = """
      Text.

      <!-- snippet: first -->
      ```swift
        let a = 1

        print(a)
      ```
      ```swift
      untagged()
      ```
      - item
        <!-- snippet: nested -->
        ```swift
        nested()
        ```
      """
    #expect(GuideSnippets.blocks(inMarkdown: markdown) == [
      GuideBlock(line: 4, name: "first", code: "let a = 1\n\nprint(a)"),
      GuideBlock(line: 9, name: nil, code: "untagged()"),
      GuideBlock(line: 14, name: "nested", code: "nested()"),
    ])
    // Markers are spelled `#/` here so that this file holds no region of its own.
    let swift = """
      func f() {
        #/ snippet: first
        let a = 1

        print(a)
        #/ end-snippet
        #expect(a == 1)
      }
      #/ snippet: bad name!
      """.replacingOccurrences(of: "#/", with: "//")
    #expect(GuideSnippets.regions(inSwift: swift) == [TestRegion(name: "first", line: 2, code: "let a = 1\n\nprint(a)")])
    #expect(GuideSnippets.snippetName(in: "<!-- snippet: a-b_c -->", prefix: "<!--", suffix: "-->") == "a-b_c")
    #expect(GuideSnippets.snippetName(in: "<!-- snippet: -->", prefix: "<!--", suffix: "-->") == nil)
  }
}
