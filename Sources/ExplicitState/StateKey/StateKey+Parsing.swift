extension StateKey {
  /// Creates the key that prints as `text`: a path in Inox's key syntax, such as
  /// `.layers[0]['a']`, when `text` is one, and otherwise a name, as Penzai names its local
  /// states (`Sequential.sublayers[0]/ExampleLayerWithAState.accumulator`).
  ///
  /// This reads what `path` writes, and what Inox writes: `.name` for a field, `[3]` for an
  /// index or integer key, `['k']` or `["k"]` for a string key with Python's escapes
  /// (`\\`, `\'`, `\"`, `\n`, `\r`, `\t`, `\xNN`, `\uNNNN`, `\UNNNNNNNN`). The empty string is
  /// the root key. Text that spells a path another way (`["x"]`, `[007]`) is that path, which
  /// prints as Inox does (`['x']`, `[7]`). So every string is the text of one key, and every
  /// key parses back to itself: `StateKey(parsing: key.path) == key`.
  ///
  /// The process keeps every path a key has spelled (see `StateKey`); for text from
  /// untrusted input, use `init(existingPath:)`, which keeps nothing.
  ///
  /// - Complexity: O(*n*), where *n* is the length of `text`.
  public init(parsing text: String) {
    let components = KeyPathParser.components(of: text) ?? [.name(text)]
    self.init(pathNumber: PathRegistry.shared.path(of: components), slot: -1)
  }

  /// Creates the key that prints as `text`, as `init(parsing:)` does, if some key made in this
  /// process already spells that path; otherwise `nil`, and nothing is stored.
  ///
  /// Every key of every state was made when the state was, so a path no key spells names no
  /// entry of any state: reading names from a file or a request this way finds every entry
  /// they name, and does not grow the process's table of paths, whatever the input.
  ///
  /// ```swift
  /// let key = StateKey(existingPath: ".inStats.first")   // nil if no state has it
  /// ```
  ///
  /// - Complexity: O(*n*), where *n* is the length of `text`.
  public init?(existingPath text: String) {
    let components = KeyPathParser.components(of: text) ?? [.name(text)]
    guard let path = PathRegistry.shared.existingPath(of: components) else { return nil }
    self.init(pathNumber: path, slot: -1)
  }
}

/// Reads Inox's key syntax one component at a time.
struct KeyPathParser {
  /// The components of `text` if it is a path in Inox's key syntax, else `nil`: text that
  /// begins with neither `.` nor `[` is not one, which a name such as Penzai's shows without
  /// being parsed.
  static func components(of text: String) -> [PathComponent]? {
    if let first = text.utf8.first, first != UInt8(ascii: "."), first != UInt8(ascii: "[") { return nil }
    var parser = KeyPathParser(text: text)
    return try? parser.parseComponents()
  }

  let text: String
  let scalars: [Unicode.Scalar]
  var position = 0

  init(text: String) {
    self.text = text
    self.scalars = Array(text.unicodeScalars)
  }

  mutating func parseComponents() throws(MalformedPath) -> [PathComponent] {
    var components: [PathComponent] = []
    while position < scalars.count {
      switch scalars[position] {
      case ".":
        position += 1
        components.append(.field(try parseName()))
      case "[":
        position += 1
        components.append(try parseBracketed())
      default:
        throw malformed("expected '.' or '['")
      }
    }
    return components
  }

  private mutating func parseName() throws(MalformedPath) -> String {
    var name = String.UnicodeScalarView()
    while position < scalars.count, scalars[position] != ".", scalars[position] != "[" {
      guard scalars[position] != "]" else { throw malformed("expected '.' or '[' or a field name without ']'") }
      name.append(scalars[position])
      position += 1
    }
    guard !name.isEmpty else { throw malformed("expected a field name after '.'") }
    return String(name)
  }

  private mutating func parseBracketed() throws(MalformedPath) -> PathComponent {
    guard position < scalars.count else { throw malformed("expected an index or a quoted key") }
    let first = scalars[position]
    let component: PathComponent
    if first == "'" || first == "\"" {
      position += 1
      component = .key(try parseQuoted(quote: first))
    } else {
      var digits = ""
      if scalars[position] == "-" {
        digits.append("-")
        position += 1
      }
      while position < scalars.count, ("0"..."9").contains(scalars[position]) {
        digits.unicodeScalars.append(scalars[position])
        position += 1
      }
      guard let index = Int(digits) else { throw malformed("expected an integer index") }
      component = .index(index)
    }
    guard position < scalars.count, scalars[position] == "]" else { throw malformed("expected ']'") }
    position += 1
    return component
  }

  private mutating func parseQuoted(quote: Unicode.Scalar) throws(MalformedPath) -> String {
    var result = String.UnicodeScalarView()
    while position < scalars.count {
      let scalar = scalars[position]
      position += 1
      if scalar == quote { return String(result) }
      guard scalar == "\\" else {
        result.append(scalar)
        continue
      }
      guard position < scalars.count else { break }
      let escaped = scalars[position]
      position += 1
      switch escaped {
      case "\\", "'", "\"": result.append(escaped)
      case "n": result.append("\n")
      case "r": result.append("\r")
      case "t": result.append("\t")
      case "x": result.append(try parseHexScalar(digits: 2))
      case "u": result.append(try parseHexScalar(digits: 4))
      case "U": result.append(try parseHexScalar(digits: 8))
      default: throw malformed("unknown escape '\\\(escaped)'")
      }
    }
    throw malformed("unterminated quoted key")
  }

  private mutating func parseHexScalar(digits: Int) throws(MalformedPath) -> Unicode.Scalar {
    guard position + digits <= scalars.count else { throw malformed("expected \(digits) hex digits") }
    var hex = ""
    hex.unicodeScalars.append(contentsOf: scalars[position..<position + digits])
    position += digits
    guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
      throw malformed("invalid escape '\(hex)'")
    }
    return scalar
  }

  /// Why the text is not a path, at the current position.
  private func malformed(_ expectation: String) -> MalformedPath {
    MalformedPath(offset: position, expected: expectation)
  }
}

/// Text that is not a path in Inox's key syntax: what was expected, and where.
struct MalformedPath: Error {
  let offset: Int
  let expected: String
}
