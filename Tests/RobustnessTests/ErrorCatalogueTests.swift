import Foundation
import PenzaiGemma
import StateKeys
import Testing

/// Every error the package throws is a row of `Guides/Errors.md`, and every row is a test.
@Suite("Errors: the bad-input catalogue")
struct ErrorCatalogueTests {
  @Test(arguments: catalogue)
  func eachErrorIsThrownWithItsMessage(row: CatalogueRow) {
    do {
      try row.call()
      Issue.record("\(row.error): no error was thrown")
    } catch {
      #expect(name(of: error) == row.error)
      #expect("\(error)" == row.message)
    }
  }

  /// The table in `Guides/Errors.md`, between its markers, is this catalogue rendered.
  /// Run with `STATEKEYS_UPDATE_ERRORS=1` to rewrite it after changing a row.
  @Test func theGuideListsExactlyTheseRows() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let url = root.appendingPathComponent("Guides/Errors.md")
    let guide = try String(contentsOf: url, encoding: .utf8)
    let start = "<!-- catalogue: generated from Tests/RobustnessTests/ErrorCatalogue.swift -->\n"
    let end = "<!-- end catalogue -->"
    guard let from = guide.range(of: start), let to = guide.range(of: end, range: from.upperBound..<guide.endIndex) else {
      Issue.record("Guides/Errors.md has no catalogue markers")
      return
    }
    let rendered = renderedCatalogue()
    if ProcessInfo.processInfo.environment["STATEKEYS_UPDATE_ERRORS"] == "1" {
      try (guide[..<from.upperBound] + rendered + guide[to.lowerBound...]).write(to: url, atomically: true, encoding: .utf8)
      return
    }
    #expect(String(guide[from.upperBound..<to.lowerBound]) == rendered, "Guides/Errors.md differs from the catalogue")
  }

  /// The catalogue as Markdown tables, one per module.
  func renderedCatalogue() -> String {
    let modules = [
      ("StateError", "The state core (`ExplicitState`)"), ("RandomKeyError", "Random keys (`RandomKeys`)"),
      ("TensorError", "Tensors and layers (`TensorLayers`)"), ("LayerError", "Layers and effects (`DataEffects`)"),
      ("EffectError", "Layers and effects (`DataEffects`)"), ("CheckpointError", "Checkpoints (`Checkpoints`)"), ("TrainingError", "Training (`Training`)"),
      ("GemmaError", "The Gemma port (`PenzaiGemma`)"),
    ]
    var text = ""
    var heading = ""
    for row in catalogue {
      let type = String(row.error.prefix { $0 != "." })
      let title = modules.first { $0.0 == type }?.1 ?? type
      if title != heading {
        text += "\n## \(title)\n\n| error | triggered by | message |\n|---|---|---|\n"
        heading = title
      }
      text += "| `\(row.error)` | \(row.trigger) | \(row.message.replacingOccurrences(of: "|", with: "\\|")) |\n"
    }
    return text + "\n"
  }

  @Test func everyCaseOfEveryErrorTypeIsCatalogued() {
    let counts = Dictionary(grouping: catalogue, by: { $0.error.prefix { $0 != "." } }).mapValues(\.count)
    #expect(counts == ["StateError": 11, "RandomKeyError": 4, "TensorError": 9, "LayerError": 2, "EffectError": 16, "CheckpointError": 12, "TrainingError": 5, "GemmaError": 5])
  }

  /// The library never traps on purpose: no `fatalError`, `precondition`, `try!`, `as!` or
  /// implicitly unwrapped force anywhere in `Sources`, except the fuzz harness's check.
  @Test func theSourcesContainNoTraps() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let sources = root.appendingPathComponent("Sources")
    let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }
      .filter { $0.pathExtension == "swift" } ?? []
    #expect(files.count > 40)
    for file in files {
      let text = try String(contentsOf: file, encoding: .utf8)
      for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        for trap in ["fatalError(", "precondition(", "preconditionFailure(", "try!", "as! ", "!.", "]!"] where code.contains(trap) {
          Issue.record("\(file.lastPathComponent):\(number + 1): \(trap) in \(line.trimmingCharacters(in: .whitespaces))")
        }
      }
    }
  }
}

/// The type and case of an error: `StateError.missingKey` for `StateError.missingKey(...)`.
func name(of error: any Error) -> String {
  let type = String(describing: Swift.type(of: error))
  if let label = Mirror(reflecting: error).children.first?.label { return type + "." + label }
  // Cases without a payload have no mirror children; they are these.
  let payloadless: [(String, any Error & Equatable)] = [
    ("categoryNotSpecified", EffectError.categoryNotSpecified), ("categoryOverspecified", EffectError.categoryOverspecified),
    ("emptyPrompt", GemmaError.emptyPrompt),
  ]
  for (name, candidate) in payloadless where "\(candidate)" == "\(error)" { return type + "." + name }
  return type + ".?"
}
