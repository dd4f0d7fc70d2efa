/// The JSON of a safetensors header: a small, strict reader and writer.
///
/// Headers are flat (an object of objects of strings and integer arrays), so the reader
/// refuses nesting deeper than a few levels, duplicate keys, and anything after the value:
/// an untrusted header can neither exhaust the stack nor hide a second meaning.
enum HeaderJSON: Equatable {
  case object([(String, HeaderJSON)])
  case array([HeaderJSON])
  case string(String)
  case integer(Int)
  case number(Double)
  case bool(Bool)
  case null

  static func == (lhs: HeaderJSON, rhs: HeaderJSON) -> Bool {
    switch (lhs, rhs) {
    case (.object(let a), .object(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    case (.array(let a), .array(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.integer(let a), .integer(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b
    case (.bool(let a), .bool(let b)): return a == b
    case (.null, .null): return true
    default: return false
    }
  }

  /// Parses `bytes` as one JSON value, with trailing spaces allowed (the format pads with them).
  static func parse(_ bytes: [UInt8]) throws(CheckpointError) -> HeaderJSON {
    var reader = Reader(bytes: bytes)
    let value = try reader.value(depth: 0)
    reader.skipWhitespace()
    guard reader.position == bytes.count else { throw reader.error("unexpected text after the header object") }
    return value
  }

  /// The value as compact JSON text.
  var text: String {
    switch self {
    case .object(let members):
      return "{" + members.map { HeaderJSON.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
    case .array(let elements): return "[" + elements.map(\.text).joined(separator: ",") + "]"
    case .string(let string): return HeaderJSON.quote(string)
    case .integer(let integer): return String(integer)
    case .number(let number): return String(number)
    case .bool(let bool): return bool ? "true" : "false"
    case .null: return "null"
    }
  }

  /// `string` as a JSON string literal.
  static func quote(_ string: String) -> String {
    var result = "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }

  private struct Reader {
    let bytes: [UInt8]
    var position = 0
    static let maximumDepth = 8

    func error(_ reason: String) -> CheckpointError {
      .malformedHeader("\(reason) (at byte \(position))")
    }

    mutating func skipWhitespace() {
      while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
    }

    mutating func value(depth: Int) throws(CheckpointError) -> HeaderJSON {
      guard depth <= Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
      skipWhitespace()
      guard position < bytes.count else { throw error("unexpected end of the header") }
      switch bytes[position] {
      case UInt8(ascii: "{"): return try object(depth: depth)
      case UInt8(ascii: "["): return try array(depth: depth)
      case UInt8(ascii: "\""): return .string(try string())
      case UInt8(ascii: "t"): try literal("true"); return .bool(true)
      case UInt8(ascii: "f"): try literal("false"); return .bool(false)
      case UInt8(ascii: "n"): try literal("null"); return .null
      default: return try number()
      }
    }

    mutating func literal(_ word: String) throws(CheckpointError) {
      let expected = Array(word.utf8)
      guard position + expected.count <= bytes.count, Array(bytes[position..<position + expected.count]) == expected else {
        throw error("expected a JSON value")
      }
      position += expected.count
    }

    mutating func object(depth: Int) throws(CheckpointError) -> HeaderJSON {
      position += 1
      var members: [(String, HeaderJSON)] = []
      var seen: Set<String> = []
      skipWhitespace()
      if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
        position += 1
        return .object(members)
      }
      while true {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a key") }
        let key = try string()
        guard seen.insert(key).inserted else { throw error("duplicate key '\(key)'") }
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
        position += 1
        members.append((key, try value(depth: depth + 1)))
        skipWhitespace()
        guard position < bytes.count else { throw error("unterminated object") }
        if bytes[position] == UInt8(ascii: "}") {
          position += 1
          return .object(members)
        }
        guard bytes[position] == UInt8(ascii: ",") else { throw error("expected ',' or '}'") }
        position += 1
      }
    }

    mutating func array(depth: Int) throws(CheckpointError) -> HeaderJSON {
      position += 1
      var elements: [HeaderJSON] = []
      skipWhitespace()
      if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
        position += 1
        return .array(elements)
      }
      while true {
        elements.append(try value(depth: depth + 1))
        skipWhitespace()
        guard position < bytes.count else { throw error("unterminated array") }
        if bytes[position] == UInt8(ascii: "]") {
          position += 1
          return .array(elements)
        }
        guard bytes[position] == UInt8(ascii: ",") else { throw error("expected ',' or ']'") }
        position += 1
      }
    }

    mutating func string() throws(CheckpointError) -> String {
      position += 1
      var scalars = String.UnicodeScalarView()
      var utf8: [UInt8] = []
      func flush() -> Bool {
        guard !utf8.isEmpty else { return true }
        guard let text = String(validating: utf8, as: UTF8.self) else { return false }
        scalars.append(contentsOf: text.unicodeScalars)
        utf8.removeAll()
        return true
      }
      while position < bytes.count {
        let byte = bytes[position]
        position += 1
        if byte == UInt8(ascii: "\"") {
          guard flush() else { throw error("invalid UTF-8 in a string") }
          return String(scalars)
        }
        if byte < 0x20 { throw error("control character in a string") }
        guard byte == UInt8(ascii: "\\") else {
          utf8.append(byte)
          continue
        }
        guard flush() else { throw error("invalid UTF-8 in a string") }
        guard position < bytes.count else { break }
        let escape = bytes[position]
        position += 1
        switch escape {
        case UInt8(ascii: "\""): scalars.append("\"")
        case UInt8(ascii: "\\"): scalars.append("\\")
        case UInt8(ascii: "/"): scalars.append("/")
        case UInt8(ascii: "b"): scalars.append("\u{8}")
        case UInt8(ascii: "f"): scalars.append("\u{C}")
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "u"):
          var value = try hex4()
          if (0xD800..<0xDC00).contains(value) {
            guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
            else { throw error("unpaired surrogate") }
            position += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let scalar = Unicode.Scalar(value) else { throw error("invalid \\u escape") }
          scalars.append(scalar)
        default:
          throw error("invalid escape")
        }
      }
      throw error("unterminated string")
    }

    mutating func hex4() throws(CheckpointError) -> UInt32 {
      guard position + 4 <= bytes.count,
        let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
      else { throw error("invalid \\u escape") }
      position += 4
      return value
    }

    mutating func number() throws(CheckpointError) -> HeaderJSON {
      let start = position
      while position < bytes.count, "+-0123456789.eE".utf8.contains(bytes[position]) { position += 1 }
      let text = String(decoding: bytes[start..<position], as: UTF8.self)
      if let integer = Int(text) { return .integer(integer) }
      if let number = Double(text), text.contains(where: { ".eE".contains($0) }) { return .number(number) }
      position = start
      throw error("expected a JSON value")
    }
  }
}
