import ExplicitState
import Testing

@Suite("exportState: entries become keys in traversal order")
struct ExportStateTests {
  @Test func inoxDocstringExample() throws {
    // Inox: {'a': 1, 'b': StateEntry(zeros(2))} → {'a': 1, 'b': StateKey("['b']")}
    let tree: [String: Leaf] = ["a": .number(1), "b": .entry(StateEntry([0, 0]))]
    let (exported, state) = try exportState(tree)
    #expect(exported["a"] == .number(1))
    guard case .entry(let entry) = exported["b"] else {
      Issue.record("'b' is no longer an entry")
      return
    }
    #expect(entry.description == #"StateKey("['b']")"#)
    #expect(try state[entry] == [0, 0])
    #expect(state.count == 1)
  }

  @Test func everyKindOfChildInTraversalOrder() throws {
    let (exported, state) = try exportState(Tree())
    #expect(state.keys.map(\.path) == [
      ".stats.first", ".stats.second",
      ".layers[0].first", ".layers[0].second", ".layers[1].first", ".layers[1].second",
      ".named['b c'].first", ".named['b c'].second", ".named['z'].first", ".named['z'].second",
      ".numbered[2]", ".numbered[10]",
      ".counter",
    ])
    #expect(exported.layers[1].second.key?.path == ".layers[1].second")
    #expect(exported.name == "tree")
    #expect(try state[exported.layers[1].second] == 4)
    #expect(try state[exported.numbered[10, default: StateEntry(0)]] == 10)
  }

  @Test func anEntryAtTheRootHasTheEmptyPath() throws {
    let (entry, state) = try exportState(StateEntry(3.5))
    #expect(entry.key == StateKey.root)
    #expect(state.keys.map(\.path) == [""])
    #expect(try state[entry] == 3.5)
  }

  @Test func exportingAnExportedModelGivesAnEmptyStateAndTheSameModel() throws {
    let (once, state) = try exportState(Tree())
    let (twice, empty) = try exportState(once)
    #expect(twice == once)
    #expect(empty.isEmpty)
    #expect(state.count == 13)
  }

  @Test func aModelWithoutEntriesGivesAnEmptyState() throws {
    let (model, state) = try exportState([Pair]())
    #expect(model.isEmpty)
    #expect(state.isEmpty)
    #expect(state.keys.isEmpty)
    #expect(state.description == "State {}")
  }

  @Test func nilOptionalsHoldNoEntries() throws {
    var tree = Tree()
    tree.maybe = nil
    #expect(try exportState(tree).1.keys.allSatisfy { !$0.path.hasPrefix(".maybe") })
    tree.maybe = Pair(9, 9)
    let (exported, state) = try exportState(tree)
    #expect(try state.keys.contains(StateKey([.field("maybe"), .field("first")])))
    #expect(try state[try #require(exported.maybe).first] == 9)
  }

  @Test func theSameValueAtTwoPathsGivesTwoKeys() throws {
    let shared = StateEntry<Float>(1)
    let (exported, state) = try exportState(["a": shared, "b": shared])
    #expect(state.keys.map(\.path) == ["['a']", "['b']"])
    #expect(exported["a"]?.key != exported["b"]?.key)
  }

  @Test func anEntryHoldingAnEntryIsNotOpened() throws {
    let nested = StateEntry(StateEntry<Float>(1))
    let (exported, state) = try exportState(["outer": nested])
    #expect(state.count == 1)
    let inner = try state[try #require(exported["outer"])]
    #expect(inner.value == 1)
    #expect(!inner.isExported)
  }

  @Test func twoChildrenUnderOneNameThrowDuplicateKey() throws {
    struct Buggy: StateVisitable {
      var a = StateEntry(1)
      var b = StateEntry(2)
      mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
        visitor.visit("a", &a)
        visitor.visit("a", &b)
      }
    }
    #expect(throws: StateError.duplicateKey(try StateKey([.field("a")]))) { try exportState(Buggy()) }
  }

  @Test func unbalancedEnterAndExitThrow() throws {
    struct Unbalanced: StateVisitable {
      var a = StateEntry(1)
      mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
        visitor.exit()
        visitor.visit("a", &a)
      }
    }
    #expect(throws: StateError.unbalancedTraversal(enters: 1, exits: 2)) { try exportState(Unbalanced()) }
  }

  @Test func valuesOfManyTypesLiveInOneState() throws {
    struct Mixed: StateVisitable {
      var count = StateEntry(3)
      var name = StateEntry("moments")
      var weights = StateEntry([Float](repeating: 1, count: 4))
      mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
        visitor.visit("count", &count)
        visitor.visit("name", &name)
        visitor.visit("weights", &weights)
      }
    }
    let (model, state) = try exportState(Mixed())
    #expect(try state[model.count] == 3)
    #expect(try state[model.name] == "moments")
    #expect(try state[model.weights] == [1, 1, 1, 1])
    #expect(state.valueTypeName(for: try #require(model.weights.key)) == "Array<Float>")
  }
}
