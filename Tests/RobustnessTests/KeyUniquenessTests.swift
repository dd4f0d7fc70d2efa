import StateKeys
import TestSupport
import Testing

/// A module tree whose field names and dictionary keys are generated, path syntax included.
struct NamedNode: StateVisitable {
  var fields: [(name: String, child: NamedNode)] = []
  var table: [String: NamedNode] = [:]
  var entry: StateEntry<Float>?

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    for index in fields.indices { visitor.visit(fields[index].name, &fields[index].child) }
    if !table.isEmpty { visitor.visit("table", &table) }
    if entry != nil { visitor.visit("entry", &entry) }
  }
}

/// Names drawn mostly from the characters of the path syntax, so that collisions are likely.
func hostileName(_ random: inout SplitMix64) -> String {
  let alphabet: [String] = ["a", "b", ".", "[", "]", "'", "\"", "\\", "/", "0", "1", "-", " ", "é", "\n", "😀"]
  let length = Int.random(in: 0...4, using: &random)
  return (0..<length).map { _ in alphabet.randomElement(using: &random)! }.joined()
}

func hostileTree(_ random: inout SplitMix64, depth: Int) -> NamedNode {
  var node = NamedNode()
  if Int.random(in: 0..<3, using: &random) == 0 { node.entry = StateEntry(Float(depth)) }
  guard depth < 3 else { return node }
  for _ in 0..<Int.random(in: 0...3, using: &random) {
    node.fields.append((hostileName(&random), hostileTree(&random, depth: depth + 1)))
  }
  for _ in 0..<Int.random(in: 0...2, using: &random) {
    node.table[hostileName(&random)] = hostileTree(&random, depth: depth + 1)
  }
  return node
}

/// Why `error` is not the refusal of a field name holding path syntax (or of two fields with
/// one name), or `nil` when it is.
func unexpectedRefusal(_ error: StateError) -> String? {
  if case .duplicateKey = error { return nil }  // two generated fields of one node may share a name
  guard case .invalidPathComponent(.field(let name), _, _) = error else { return "unexpected error \(error)" }
  return name.isEmpty || name.contains(".") || name.contains("[") || name.contains("]") ? nil : "refused \(error)"
}

@Suite("Keys: every key prints uniquely and parses back to itself")
struct KeyUniquenessTests {
  /// Export either refuses a tree, naming the component, or gives keys that print apart and
  /// parse back; a checkpoint of the state never holds a name twice.
  @Test func generatedTreesExportKeysThatPrintApartOrAreRefused() throws {
    var random = SplitMix64(seed: 15)
    var exported = 0
    var refused = 0
    for _ in 0..<3_000 {
      let tree = hostileTree(&random, depth: 0)
      let state: State
      switch Result(catching: { () throws(StateError) in try exportState(tree).1 }) {
      case .success(let exportedState):
        state = exportedState
      case .failure(let error):
        if let problem = unexpectedRefusal(error) { Issue.record(Comment(rawValue: problem)) }
        refused += 1
        continue
      }
      exported += 1
      let paths = state.keys.map(\.path)
      #expect(Set(paths).count == paths.count, "two keys print alike: \(paths)")
      for key in state.keys {
        #expect(StateKey(parsing: key.path) == key, "\(key) does not parse back")
      }
      let names = try SafetensorsFile(state: state).entries.map(\.name)
      #expect(Set(names).count == names.count)
    }
    #expect(exported > 500 && refused > 500, "exported \(exported), refused \(refused)")
  }

  /// Any text is the text of one key, which prints as it (or as Inox spells the same path)
  /// and parses back to itself; two keys are equal exactly when they print alike.
  @Test func generatedTextParsesToKeysThatPrintApart() {
    var random = SplitMix64(seed: 16)
    var keys: [StateKey] = []
    for _ in 0..<5_000 {
      let text = [hostileName(&random), hostileName(&random)].joined(separator: ["", ".", "['", "["].randomElement(using: &random)!)
      let key = StateKey(parsing: text)
      #expect(StateKey(parsing: key.path) == key, "\(text) gave \(key), which does not parse back")
      keys.append(key)
    }
    let byPath = Dictionary(grouping: keys, by: \.path)
    for (path, group) in byPath { #expect(Set(group).count == 1, "keys printing \(path) differ") }
    #expect(Set(keys).count == byPath.count)
  }

  /// The issue's cases: a field `a.b` beside a nested `a` → `b`, and a name that prints as a key.
  @Test func theReportedCollisionsAreGone() throws {
    var tree = NamedNode()
    var nested = NamedNode()
    nested.fields = [("b", NamedNode(entry: StateEntry(1)))]
    tree.fields = [("a.b", NamedNode(entry: StateEntry(2))), ("a", nested)]
    #expect(throws: StateError.invalidPathComponent(.field("a.b"), parent: "", expected: "a field name without '.', '[' or ']', which would print as another path")) {
      try exportState(tree)
    }
    #expect(throws: StateError.self) { try exportState(NamedNode(fields: [("", NamedNode(entry: StateEntry(1)))])) }
    #expect(StateKey(name: "['b']") == (try StateKey([.key("b")])))
  }
}
