/// One step of a path from the root of a module tree to a state entry.
///
/// Paths print in the key syntax of JAX's `keystr`, which Inox uses for its state keys, so a
/// state exported here names its entries exactly as Inox names them:
///
/// | component            | prints as | made by                                   |
/// |----------------------|-----------|-------------------------------------------|
/// | `.field("inStats")`  | `.inStats`| a stored property of a module              |
/// | `.index(3)`          | `[3]`     | an array element, or an `Int` dictionary key |
/// | `.key("b")`          | `['b']`   | a `String` dictionary key (Python's `repr`) |
/// | `.name("shared")`    | `shared`  | a name given verbatim, as Penzai names local states |
///
/// Every key prints uniquely and parses back to itself, so some components cannot be part of
/// a key: a field name must not be empty nor hold `.`, `[` or `]`, and a name must be a whole
/// key that is not empty and not itself a path (`StateKey(name:)` reads such text as the path).
/// Making a key of any other throws `StateError.invalidPathComponent`.
public enum PathComponent: Hashable, Sendable {
  /// A named child, such as a stored property: prints as `.name`.
  case field(String)
  /// A position in a sequence, or an integer dictionary key: prints as `[3]`.
  case index(Int)
  /// A string dictionary key: prints as `['name']`, quoted as Python's `repr` quotes it.
  case key(String)
  /// A name that prints as itself, such as Penzai's local-state names
  /// (`Sequential.sublayers[0]/ExampleLayerWithAState.accumulator`).
  case name(String)
}

extension PathComponent: CustomStringConvertible {
  /// The component in Inox's key syntax: `.name`, `[3]` or `['name']`.
  public var description: String {
    switch self {
    case .field(let name): return "." + name
    case .index(let index): return "[\(index)]"
    case .key(let key): return "[" + pythonStringLiteral(key) + "]"
    case .name(let name): return name
    }
  }
}

extension PathComponent: Comparable {
  /// Orders fields before indices before string keys; within a kind, by name or number.
  ///
  /// This is the order in which a state prints its entries.
  public static func < (lhs: PathComponent, rhs: PathComponent) -> Bool {
    switch (lhs, rhs) {
    case (.field(let a), .field(let b)): return a < b
    case (.index(let a), .index(let b)): return a < b
    case (.key(let a), .key(let b)): return a < b
    case (.name(let a), .name(let b)): return a < b
    default: return lhs.kindRank < rhs.kindRank
    }
  }

  private var kindRank: Int {
    switch self {
    case .field: return 0
    case .index: return 1
    case .key: return 2
    case .name: return 3
    }
  }
}

extension PathComponent {
  /// Why this component cannot follow a path whose last component is `parent` (`nil` at the
  /// root), or `nil` when it can.
  ///
  /// - Complexity: O(*n*) in the length of a field's name or a name; O(1) otherwise.
  func invalidity(after parent: PathComponent?) -> String? {
    if case .name = parent { return "nothing after a name, which is a whole key" }
    switch self {
    case .field(let name):
      if name.isEmpty { return "a field name that is not empty" }
      for unit in name.utf8 where unit == UInt8(ascii: ".") || unit == UInt8(ascii: "[") || unit == UInt8(ascii: "]") {
        return "a field name without '.', '[' or ']', which would print as another path"
      }
      return nil
    case .name(let name):
      guard parent == nil else { return "a name only as a whole key" }
      guard !name.isEmpty, KeyPathParser.components(of: name) == nil else {
        return "a name that is not empty and not a path (StateKey(name:) reads such text as the path)"
      }
      return nil
    case .index, .key:
      return nil
    }
  }
}

/// Quotes `string` the way Python's `repr(str)` does, so keys match Inox's byte for byte.
///
/// Python picks single quotes unless the text holds a single quote and no double quote.
func pythonStringLiteral(_ string: String) -> String {
  let quote: Character = string.contains("'") && !string.contains("\"") ? "\"" : "'"
  var result = String(quote)
  for scalar in string.unicodeScalars {
    switch scalar {
    case "\\": result += "\\\\"
    case "\n": result += "\\n"
    case "\r": result += "\\r"
    case "\t": result += "\\t"
    default:
      if Character(scalar) == quote {
        result += "\\" + String(quote)
      } else if scalar.value < 0x20 || scalar.value == 0x7F {
        let hex = String(scalar.value, radix: 16)
        result += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
  }
  result.append(quote)
  return result
}
