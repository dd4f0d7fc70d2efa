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
    let key = try StateKey(components)
    #expect(key.path == path)
    #expect(key.components == components)
    #expect(StateKey(parsing: path) == key)
  }

  @Test func descriptionWrapsThePathInSwiftQuotes() throws {
    #expect(try StateKey([.field("inStats"), .field("first")]).description == #"StateKey(".inStats.first")"#)
    #expect(try StateKey([.key("b")]).description == #"StateKey("['b']")"#)
    #expect(try StateKey([.key("say \"hi\"")]).description == #"StateKey("['say \"hi\"']")"#)
    #expect(StateKey.root.description == #"StateKey("")"#)
  }

  @Test func keysFromDifferentExportsAreEqualAndHashEqually() throws {
    let (a, _) = try exportState(Pair())
    let (b, _) = try exportState(Pair())
    let made = try StateKey([.field("first")])
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

  /// Text that is not a path in Inox's syntax is a name, printed as given: Penzai's names of
  /// states under a list or a dictionary begin with `[` and hold `/Type` segments.
  @Test(arguments: [".", "[", "[1", "['x", "[x]", "['\\q']", ".a[", "['\\x4']", ".a]", "['k'][2]/Layer.f0", "first"])
  func textThatIsNotAPathIsAName(text: String) throws {
    let key = StateKey(parsing: text)
    #expect(key.components == [.name(text)])
    #expect(key.path == text)
    #expect(StateKey(name: text) == key)
  }

  /// A key is what it prints: a name that is a path is that path.
  @Test func aNameThatIsAPathIsThatPath() throws {
    #expect(StateKey(name: "['b']") == (try StateKey([.key("b")])))
    #expect(try StateKey([.name("['b']")]) == StateKey([.key("b")]))
    #expect(StateKey(name: ".a.b") == (try StateKey([.field("a"), .field("b")])))
    #expect(StateKey(name: "") == .root)
    #expect(StateKey(name: "[1]['k']").components == [.index(1), .key("k")])
  }

  /// Components that would print as another path, or not parse back, make no key.
  @Test(arguments: [
    [PathComponent.field("a.b")], [.field("")], [.field("x['y']")], [.field("a]")], [.field("a"), .name("b")],
    [.name("b"), .field("a")], [.name("a"), .name("b")],
  ])
  func componentsThatWouldPrintAsAnotherPathThrow(components: [PathComponent]) throws {
    #expect(throws: StateError.self) { try StateKey(components) }
  }

  @Test func keysSortByComponentsNumbersNumerically() throws {
    let keys = [".layers[10].a", ".layers[2].a", ".b", ".layers[2]['x']", ".a"]
      .map { StateKey(parsing: $0) }
    #expect(keys.sorted().map(\.path) == [".a", ".b", ".layers[2].a", ".layers[2]['x']", ".layers[10].a"])
  }
}
