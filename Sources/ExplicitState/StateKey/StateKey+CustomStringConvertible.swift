// Printing a key inside a collection uses `description` too: `String(reflecting:)` falls back
// to it for a type that is not `CustomDebugStringConvertible`.
extension StateKey: CustomStringConvertible {
  /// The key as Inox prints it, with Swift's quotes: `StateKey(".inStats.first")`.
  public var description: String {
    "StateKey(\"" + path.replacingBackslashesAndQuotes() + "\")"
  }
}

extension String {
  /// Escapes the text for a Swift string literal, so the printed key can be pasted back.
  fileprivate func replacingBackslashesAndQuotes() -> String {
    var result = ""
    for character in self {
      switch character {
      case "\\": result += "\\\\"
      case "\"": result += "\\\""
      default: result.append(character)
      }
    }
    return result
  }
}
