extension StateKey: CustomStringConvertible, CustomDebugStringConvertible {
  /// The key as Inox prints it, with Swift's quotes: `StateKey(".inStats.first")`.
  public var description: String {
    "StateKey(\"" + path.replacingBackslashesAndQuotes() + "\")"
  }

  /// The same text as `description`.
  public var debugDescription: String { description }
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
