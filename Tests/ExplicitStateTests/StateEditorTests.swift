@testable import ExplicitState
import Testing

@Suite("State.edit: many writes in a row, states that share storage untouched")
struct StateEditorTests {
  @Test func writesLandInTheStateAndReturnTheResult() throws {
    let (model, exported) = try exportState(Wide(count: 2_000))
    var state = exported
    let sum = try state.edit { editor -> Float in
      var sum: Float = 0
      for (index, entry) in model.entries.enumerated() where index % 3 == 0 {
        sum += try editor.modify(entry) { value -> Float in
          value += 0.5
          return value
        }
      }
      try editor.modify(model.entries[3]) { $0 *= 2 }
      #expect(try editor[model.entries[3]] == 7)
      return sum
    }
    let expected: Float = stride(from: 0, to: 2_000, by: 3).reduce(0) { $0 + Float($1) + 0.5 }
    #expect(sum == expected)
    #expect(try state[model.entries[3]] == 7)
    #expect(try state[model.entries[6]] == 6.5)
    #expect(try state[model.entries[7]] == 7)
    #expect(try exported[model.entries[3]] == 3)
    #expect(try exported[model.entries[6]] == 6)
  }

  /// The first edit stamps the storage it writes through; a copy then shares it. The second
  /// edit must not take the first one's stamps as its own, or it would write into the copy.
  @Test func anEditAfterACopyLeavesTheCopyAlone() throws {
    let (model, exported) = try exportState(Wide(count: 2_000))
    var state = exported
    _ = consume exported
    try state.edit { editor in
      for entry in model.entries { try editor.modify(entry) { $0 += 1 } }
    }
    let copy = state
    try state.edit { editor in
      for entry in model.entries { try editor.modify(entry) { $0 += 1 } }
    }
    #expect(try copy[model.entries[0]] == 1 && copy[model.entries[1_999]] == 2_000)
    #expect(try state[model.entries[0]] == 2 && state[model.entries[1_999]] == 2_001)
    var again = copy
    try again.edit { editor in try editor.modify(model.entries[1_000]) { $0 = -1 } }
    #expect(try copy[model.entries[1_000]] == 1_001)
    #expect(try state[model.entries[1_000]] == 1_002)
    #expect(try again[model.entries[1_000]] == -1)
  }

  /// Editing one value of a state that shares its storage copies the path to it, as
  /// `updateState` does, and no more.
  @Test func anEditOfASharedStateCopiesOnlyThePathsItWrites() throws {
    let (model, old) = try exportState(Wide(count: 20_000))
    var new = old
    try new.edit { editor in
      try editor.modify(model.entries[10_000]) { $0 = -1 }
      try editor.modify(model.entries[10_001]) { $0 = -2 }
    }
    let oldObjects = Set(old.values.allObjects().map(ObjectIdentifier.init))
    let fresh = new.values.allObjects().filter { !oldObjects.contains(ObjectIdentifier($0)) }
    // The top node, two branch levels and the leaf: both values share one leaf.
    #expect(fresh.count == 4)
    #expect(try old[model.entries[10_000]] == 10_000 && old[model.entries[10_001]] == 10_001)
    #expect(try new[model.entries[10_000]] == -1 && new[model.entries[10_001]] == -2)
  }

  @Test func valuesOfSeveralTypesAreEditedTogether() throws {
    let (model, exported) = try exportState(Tree())
    var state = exported
    try state.edit { editor in
      try editor.modify(model.counter) { $0 += 5 }
      try editor.modify(model.stats.second) { $0 = 9 }
      try editor.modify(model.counter) { $0 *= 2 }
    }
    #expect(try state[model.counter] == 10)
    #expect(try state[model.stats.second] == 9)
    #expect(try exported[model.counter] == 0)
  }

  @Test func writesBeforeAThrowStay() throws {
    struct Stop: Error {}
    let (model, exported) = try exportState(Pair(1, 2))
    var state = exported
    #expect(throws: Stop.self) {
      try state.edit { editor in
        try editor.modify(model.first) { $0 = 10 }
        try editor.modify(model.second) { value in
          value = 20
          throw Stop()
        }
      }
    }
    #expect(try state[model.first] == 10 && state[model.second] == 20)
    try state.edit { editor in try editor.modify(model.first) { $0 += 1 } }
    #expect(try state[model.first] == 11)
  }

  @Test func errorsAreTheModifyErrors() throws {
    let (model, exported) = try exportState(Pair())
    var state = exported
    let first = try #require(model.first.key)
    let (tree, _) = try exportState(Tree())
    try state.edit { editor in
      #expect(throws: StateError.unexportedEntry(valueType: "Float")) { try editor.modify(Pair().first) { $0 = 1 } }
      #expect(throws: StateError.typeMismatch(first, expected: "Float", found: "Int")) {
        try editor.modify(StateEntry<Int>(key: first)) { $0 = 1 }
      }
      let missing = try #require(tree.layers[1].second.key)
      #expect(throws: StateError.unknownKey(missing, entryCount: 2)) { try editor.modify(tree.layers[1].second) { $0 = 1 } }
      #expect(throws: StateError.missingKey(missing, entryCount: 2)) { _ = try editor[tree.layers[1].second] }
    }
    #expect(try state[model.first] == 0 && state[model.second] == 1)
  }

  /// A builder keeps the leaf it is filling, which the states it built share: an edit of one
  /// of them must copy that leaf, and later states from the builder keep their values.
  @Test func aLeafSharedWithABuilderIsCopied() throws {
    var builder = StateBuilder()
    let keys = try (0..<40).map { try StateKey([.index($0)]) }
    for (index, key) in keys.enumerated() { builder.append(Float(index), for: key) }
    let first = try builder.build()
    var edited = first
    try edited.edit { editor in
      for key in keys { try editor.modify(StateEntry<Float>(key: key)) { $0 = -1 } }
    }
    builder.append(Float(40), for: try StateKey([.index(40)]))
    let second = try builder.build()
    for (index, key) in keys.enumerated() {
      #expect(try first.value(for: key, as: Float.self) == Float(index))
      #expect(try second.value(for: key, as: Float.self) == Float(index))
      #expect(try edited.value(for: key, as: Float.self) == -1)
    }
  }

  /// An edit of a state nobody else holds replaces no node or leaf: its first write through
  /// each finds it unique and stamps it, later ones write in place.
  @Test(.enabled(if: isOptimizedBuild, "handing the state over needs an optimized build"))
  func anEditOfAnUnsharedStateWritesInPlace() throws {
    let (model, exported) = try exportState(Wide(count: 20_000))
    var state = exported
    _ = consume exported
    try state.edit { editor in try editor.modify(model.entries[0]) { $0 = -1 } }
    let watched = state.values.allObjects().map(WeakNode.init)
    for round in 0..<3 {
      try state.edit { editor in
        for entry in model.entries { try editor.modify(entry) { $0 += Float(round) } }
      }
    }
    #expect(watched.allSatisfy { $0.node != nil })
    #expect(state.values.allObjects().map(ObjectIdentifier.init) == watched.compactMap { $0.node.map(ObjectIdentifier.init) })
    #expect(try state[model.entries[0]] == 2 && state[model.entries[19_999]] == 19_999 + 3)
  }
}
