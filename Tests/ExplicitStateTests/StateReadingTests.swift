import ExplicitState
import Testing

@Suite("State reads: typed, and every failure named")
struct StateReadingTests {
  @Test func typedReadsThroughEntriesAndKeys() throws {
    let (model, state) = try exportState(Pair(0.5, 2))
    #expect(try state[model.first] == 0.5)
    let key = try #require(model.second.key)
    #expect(try state.value(for: key, as: Float.self) == 2)
    #expect(try state.anyValue(for: key) as? Float == 2)
    #expect(state.contains(key))
  }

  @Test func aKeyMadeByHandReadsTheSameEntry() throws {
    let (_, state) = try exportState(Tree())
    #expect(try state.value(for: StateKey(parsing: ".layers[1].first"), as: Float.self) == 3)
  }

  @Test func anAbsentKeyThrowsNamingIt() throws {
    let (_, state) = try exportState(Pair())
    let key = try StateKey([.field("nope")])
    #expect(throws: StateError.missingKey(key, entryCount: 2)) { try state.value(for: key, as: Float.self) }
    #expect(throws: StateError.missingKey(key, entryCount: 2)) { try state.anyValue(for: key) }
    #expect(!state.contains(key))
    #expect(state.valueTypeName(for: key) == nil)
    #expect(StateError.missingKey(key, entryCount: 2).description
      == #"No entry for StateKey(".nope") in this state of 2 entries: expected a key exported from the same model."#)
  }

  @Test func aKeyFromAnotherModelIsAbsentEvenAtTheSameSlot() throws {
    struct Other: StateVisitable {
      var zeta = StateEntry<Float>(0)
      mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) { visitor.visit("zeta", &zeta) }
    }
    let (other, _) = try exportState(Other())
    let (_, state) = try exportState(Pair())
    #expect(throws: StateError.missingKey(try #require(other.zeta.key), entryCount: 2)) { try state[other.zeta] }
  }

  @Test func aWrongTypeThrowsNamingBothTypes() throws {
    let (model, state) = try exportState(Pair())
    let key = try #require(model.first.key)
    #expect(throws: StateError.typeMismatch(key, expected: "Int", found: "Float")) {
      try state.value(for: key, as: Int.self)
    }
    #expect(StateError.typeMismatch(key, expected: "Int", found: "Float").description
      == #"StateKey(".first"): expected a value of type Int, found a value of type Float."#)
  }

  @Test func anUnexportedEntryThrows() throws {
    let (_, state) = try exportState(Pair())
    #expect(throws: StateError.unexportedEntry(valueType: "Float")) { try state[Pair().first] }
  }
}

@Suite("State: equality where the values allow it")
struct StateEqualityTests {
  @Test func statesWithEqualValuesAreEqual() throws {
    let (model, state) = try exportState(Pair(1, 2))
    #expect(state == state)
    #expect(try exportState(Pair(1, 2)).1 == state)
    #expect(try updateState(state, [model.first: 1]) == state)
    #expect(try updateState(state, [model.first: 5]) != state)
    #expect(try exportState(Pair(2, 1)).1 != state)
    #expect(State() == State())
    #expect(State() != state)
  }

  @Test func valuesOfAnotherTypeOrNotEquatableAreUnequal() throws {
    struct Opaque: Sendable {}
    #expect(try exportState(["a": StateEntry(Float(1))]).1 != exportState(["a": StateEntry(Double(1))]).1)
    let (_, opaque) = try exportState(["a": StateEntry(Opaque())])
    #expect(opaque != opaque)
  }
}
