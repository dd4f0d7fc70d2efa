import Foundation

/// A fenced ```swift block of a guide, with the snippet name tagged on the line above it.
struct GuideBlock: Equatable {
  let line: Int
  let name: String?
  let code: String
}

/// A region of a test file between `// snippet: NAME` and `// end-snippet`.
struct TestRegion: Equatable {
  let name: String
  let line: Int
  let code: String
}

/// Reads guides and tests, and pairs each guide's code blocks with their mirrors in tests.
enum GuideSnippets {
  /// The package's root folder, found from this file's path in the checkout.
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The files with extension `ext` below the package folder `folder`, sorted by path.
  static func files(under folder: String, extension ext: String) -> [URL] {
    let root = packageRoot.appendingPathComponent(folder)
    guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
    else { return [] }
    return enumerator.compactMap { $0 as? URL }
      .filter { $0.pathExtension == ext }
      .sorted { $0.path < $1.path }
  }

  /// The ```swift blocks of `markdown`, each with the name from a
  /// `<!-- snippet: NAME -->` comment on the line right above its fence.
  static func blocks(inMarkdown markdown: String) -> [GuideBlock] {
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
    var blocks: [GuideBlock] = []
    var index = 0
    while index < lines.count {
      let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
      guard trimmed.hasPrefix("```swift") else {
        index += 1
        continue
      }
      let start = index
      let name = index > 0 ? snippetName(in: lines[index - 1], prefix: "<!--", suffix: "-->") : nil
      index += 1
      var body: [Substring] = []
      while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces) != "```" {
        body.append(lines[index])
        index += 1
      }
      index += 1
      blocks.append(GuideBlock(line: start + 1, name: name, code: dedent(body)))
    }
    return blocks
  }

  /// The snippet regions of a Swift test file.
  static func regions(inSwift source: String) -> [TestRegion] {
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    var regions: [TestRegion] = []
    var open: (name: String, line: Int, body: [Substring])?
    for (number, line) in lines.enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed == "// end-snippet", let current = open {
        regions.append(TestRegion(name: current.name, line: current.line, code: dedent(current.body)))
        open = nil
      } else if let name = snippetName(in: line, prefix: "//", suffix: nil) {
        open = (name, number + 1, [])
      } else if open != nil {
        open?.body.append(line)
      }
    }
    return regions
  }

  /// The NAME of a `snippet: NAME` marker between `prefix` and `suffix`, if `line` is one.
  static func snippetName(in line: Substring, prefix: String, suffix: String?) -> String? {
    var text = line.trimmingCharacters(in: .whitespaces)
    guard text.hasPrefix(prefix) else { return nil }
    text.removeFirst(prefix.count)
    if let suffix {
      guard text.hasSuffix(suffix) else { return nil }
      text.removeLast(suffix.count)
    }
    text = text.trimmingCharacters(in: .whitespaces)
    guard text.hasPrefix("snippet:") else { return nil }
    let name = text.dropFirst("snippet:".count).trimmingCharacters(in: .whitespaces)
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_"))
    guard !name.isEmpty, name.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
    return name
  }

  /// The lines with their common indentation and surrounding blank lines removed.
  static func dedent(_ lines: [Substring]) -> String {
    var lines = lines.map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
    while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
    let indent = lines.filter { !$0.allSatisfy(\.isWhitespace) }
      .map { $0.prefix { $0 == " " }.count }
      .min() ?? 0
    return lines.map { $0.allSatisfy(\.isWhitespace) ? "" : String($0.dropFirst(indent)) }
      .joined(separator: "\n")
  }

  /// Every snippet region of every test file, with the file it is in.
  static func allRegions() -> [(file: String, region: TestRegion)] {
    files(under: "Tests", extension: "swift").flatMap { url -> [(file: String, region: TestRegion)] in
      guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
      return regions(inSwift: text).map { (url.lastPathComponent, $0) }
    }
  }
}
