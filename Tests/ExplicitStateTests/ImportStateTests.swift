import ExplicitState
import Testing

@Suite("importState: the inverse of exportState")
struct ImportStateTests {
  @Test func exportThenImportRoundTripsToAnEqualModel() throws {
    let tree = Tree()
    let (exported, state) = try exportState(tree)
    #expect(exported != tree)
    #expect(try importState(exported, state) == tree)
  }

  @Test func importTakesTheStatesCurrentValues() throws {
    let (model, state) = try exportState(Pair(0, 1))
    let restored = try importState(model, try updateState(state, [model.first: 42]))
    #expect(restored == Pair(42, 1))
  }

  @Test func extraKeysAreListed() throws {
    let (tree, treeState) = try exportState(Tree())
    #expect(throws: StateError.keyMismatch(missing: [], extra: Array(treeState.keys.dropFirst(2)))) {
      try importState(Pair(key: tree.stats), treeState)
    }
  }

  @Test func missingKeysAreListed() throws {
    let (tree, _) = try exportState(Tree())
    var smaller = Tree()
    smaller.numbered = [:]
    let (_, smallerState) = try exportState(smaller)
    let missing = [try #require(tree.numbered[2]?.key), try #require(tree.numbered[10]?.key)]
    #expect(throws: StateError.keyMismatch(missing: missing, extra: [])) { try importState(tree, smallerState) }
  }

  @Test func missingAndExtraKeysAreListedTogether() throws {
    let (pair, _) = try exportState(Pair())
    let (_, treeState) = try exportState(Tree())
    let missing = [try #require(pair.first.key), try #require(pair.second.key)]
    #expect(throws: StateError.keyMismatch(missing: missing, extra: treeState.keys)) {
      try importState(pair, treeState)
    }
  }

  @Test func bothListsAppearInTheMessage() throws {
    let error = StateError.keyMismatch(missing: [try StateKey([.field("a")])], extra: [try StateKey([.field("b")])])
    #expect(error.description == #"importState: the state does not match the model; missing from the state: StateKey(".a"); not in the model: StateKey(".b")."#)
  }

  @Test func aValueOfAnotherTypeIsRejected() throws {
    let (model, _) = try exportState(Pair())
    struct Ints: StateVisitable {
      var first = StateEntry(1)
      var second = StateEntry(2)
      mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
        visitor.visit("first", &first)
        visitor.visit("second", &second)
      }
    }
    let (_, ints) = try exportState(Ints())
    #expect(throws: StateError.typeMismatch(try #require(model.first.key), expected: "Float", found: "Int")) {
      try importState(model, ints)
    }
  }
}

extension Pair {
  /// A pair made of another pair's (exported) entries.
  init(key other: Pair) {
    self.init()
    first = other.first
    second = other.second
  }
}
