import ExplicitState
import Testing

@Suite("StateKey: Inox's key syntax, equality and order")
struct StateKeyTests {
  @Test(arguments: [
    ([.field("inStats"), .field("first")], ".inStats.first"),
    ([.field("layers"), .index(0), .field("first")], ".layers[0].first"),
    ([.key("b")], "['b']"),
    ([.field("layers"), .index(1), .key("b c")], ".layers[1]['b c']"),
    ([.field("layers"), .index(2), .index(3)], ".layers[2][3]"),
    ([], ""),
    ([.key("it's")], "[\"it's\"]"),
    ([.key("both ' and \"")], "['both \\' and \"']"),
    ([.key("tab\there\n")], "['tab\\there\\n']"),
    ([.key("\u{1}")], "['\\x01']"),
  ] as [([PathComponent], String)])
  func pathsPrintAsInoxKeys(components: [PathComponent], path: String) throws {
    let key = StateKey(components)
    #expect(key.path == path)
    #expect(key.components == components)
    #expect(try StateKey(parsing: path) == key)
  }

  @Test func descriptionWrapsThePathInSwiftQuotes() {
    #expect(StateKey([.field("inStats"), .field("first")]).description == #"StateKey(".inStats.first")"#)
    #expect(StateKey([.key("b")]).description == #"StateKey("['b']")"#)
    #expect(StateKey([.key("say \"hi\"")]).description == #"StateKey("['say \"hi\"']")"#)
    #expect(StateKey.root.description == #"StateKey("")"#)
  }

  @Test func keysFromDifferentExportsAreEqualAndHashEqually() throws {
    let (a, _) = try exportState(Pair())
    let (b, _) = try exportState(Pair())
    let made = StateKey([.field("first")])
    #expect(a.first.key == b.first.key)
    #expect(a.first.key == made)
    #expect(Set([a.first.key, b.first.key, made]).count == 1)
    #expect(a.first.key != a.second.key)
  }

  @Test func parsingAcceptsDoubleQuotesAndUnicodeEscapes() throws {
    #expect(try StateKey(parsing: #"["x"]"#) == StateKey([.key("x")]))
    #expect(try StateKey(parsing: #"['\u00e9\U0001F600']"#) == StateKey([.key("é😀")]))
    #expect(try StateKey(parsing: "[-1]") == StateKey([.index(-1)]))
  }

  @Test(arguments: ["first", ".", "[", "[1", "['x", "[x]", "['\\q']", ".a[", "['\\x4']"])
  func malformedPathsThrowWithThePosition(path: String) {
    #expect(throws: StateError.self) { try StateKey(parsing: path) }
    do {
      _ = try StateKey(parsing: path)
    } catch {
      #expect(error.description.contains("StateKey(parsing: \"\(path)\")"))
      #expect(error.description.contains("found"))
    }
  }

  @Test func keysSortByComponentsNumbersNumerically() {
    let keys = [".layers[10].a", ".layers[2].a", ".b", ".layers[2]['x']", ".a"]
      .compactMap { try? StateKey(parsing: $0) }
    #expect(keys.sorted().map(\.path) == [".a", ".b", ".layers[2].a", ".layers[2]['x']", ".layers[10].a"])
  }
}
