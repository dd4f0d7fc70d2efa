@testable import ExplicitState
import Testing

@Suite("updateState: new states, old ones untouched, cost independent of size")
struct UpdateStateTests {
  @Test func anUpdateReturnsANewStateAndLeavesTheOldOne() throws {
    let (model, old) = try exportState(Pair(0, 1))
    let new = try updateState(old, [model.first: 10, model.second: 20])
    #expect(try new[model.first] == 10)
    #expect(try new[model.second] == 20)
    #expect(try old[model.first] == 0)
    #expect(try old[model.second] == 1)
    #expect(new.keys == old.keys)
  }

  @Test func aKeyListedTwiceTakesItsLastValue() throws {
    let (model, state) = try exportState(Pair())
    #expect(try updateState(state, [model.first: 1, model.first: 2])[model.first] == 2)
  }

  @Test func unknownKeysAreRejectedAndNothingChanges() throws {
    let (model, state) = try exportState(Pair())
    let unknown = try StateKey([.field("brand"), .field("new")])
    #expect(throws: StateError.unknownKey(unknown, entryCount: 2)) {
      try updateState(state, [unknown: Float(1), try #require(model.first.key): Float(5)])
    }
    let stranger = StateEntry<Float>(key: unknown)
    #expect(throws: StateError.unknownKey(unknown, entryCount: 2)) {
      try updateState(state, [model.first: 5, stranger: 1])
    }
    #expect(try state[model.first] == 0)
    #expect(StateError.unknownKey(unknown, entryCount: 2).description.contains("never adds keys"))
  }

  @Test func valuesOfAnotherTypeAreRejectedNamingBothTypes() throws {
    let (model, state) = try exportState(Pair())
    let key = try #require(model.first.key)
    #expect(throws: StateError.typeMismatch(key, expected: "Float", found: "String")) {
      try updateState(state, [key: "any type"])
    }
    let retyped = StateEntry<Int>(key: key)
    #expect(throws: StateError.typeMismatch(key, expected: "Float", found: "Int")) {
      try updateState(state, [retyped: 3])
    }
  }

  @Test func unexportedEntriesAreRejected() throws {
    let (_, state) = try exportState(Pair())
    #expect(throws: StateError.unexportedEntry(valueType: "Float")) { try updateState(state, [Pair().first: 1]) }
  }

  @Test func untypedUpdatesAcceptMatchingValues() throws {
    let (model, state) = try exportState(Pair())
    let new = try updateState(state, [try #require(model.second.key): Float(7)])
    #expect(try new[model.second] == 7)
  }

  /// With the old state kept alive, an update copies only the trie nodes on the path to the
  /// changed slot: at most ⌈log₃₂ n⌉ of them, whether the state has 200 or 200,000 entries.
  @Test(arguments: [200, 2_000, 20_000, 200_000])
  func keepingTheOldStateCopiesOnlyOnePath(entries: Int) throws {
    let (model, old) = try exportState(Wide(count: entries))
    let entry = model.entries[entries / 2]
    let new = try updateState(old, [entry: -1])
    let oldNodes = Set(old.values.allObjects().map(ObjectIdentifier.init))
    let fresh = new.values.allObjects().filter { !oldNodes.contains(ObjectIdentifier($0)) }
    var depth = 1
    while 1 << (5 * depth) < entries { depth += 1 }
    // The top node, then the column's levels down to the leaf.
    #expect(fresh.count == 1 + depth)
    #expect(depth <= 4)
    #expect(try old[entry] == Float(entries / 2))
    #expect(try new[entry] == -1)
  }

  /// When nobody else holds the old state, as under `state = layer(x, state)` with a
  /// `consuming` parameter, the update writes in place: no node is replaced.
  ///
  /// Handing the state over in place is the optimizer's work: unoptimized builds keep
  /// temporaries alive through each call, so every update copies one path there (still
  /// O(log₃₂ n), as the test above shows). CI runs this suite optimized too. The nodes are
  /// watched through weak references, which a replaced (freed) node turns to `nil`, so a
  /// reused address cannot fake an in-place update.
  @Test(.enabled(if: isOptimizedBuild, "in-place updates need an optimized build"))
  func anUnsharedStateIsUpdatedInPlace() throws {
    let (model, exported) = try exportState(Wide(count: 200_000))
    var state = exported
    _ = consume exported
    state = try updateState(consume state, [model.entries[0]: -1])
    let watched = state.values.allObjects().map(WeakNode.init)
    for index in stride(from: 0, to: 200_000, by: 997) {
      state = try updateState(consume state, [model.entries[index]: -2])
    }
    #expect(watched.allSatisfy { $0.node != nil })
    #expect(state.values.allObjects().map(ObjectIdentifier.init) == watched.compactMap { $0.node.map(ObjectIdentifier.init) })
    #expect(try state[model.entries[997]] == -2)
    #expect(try state[model.entries[998]] == 998)
  }
}

/// Whether this test target was compiled with optimizations (`swift test -c release`).
let isOptimizedBuild: Bool = {
  #if DEBUG
    return false
  #else
    return true
  #endif
}()

/// A node watched without keeping it alive.
struct WeakNode {
  weak var node: AnyObject?
}

@Suite("State.modify: in-place changes that old states never see")
struct ModifyStateTests {
  @Test func modifyChangesTheValueAndReturnsTheResult() throws {
    let (model, exported) = try exportState(Pair(1, 2))
    var state = exported
    let doubled = try state.modify(model.first) { value -> Float in
      value *= 2
      return value
    }
    #expect(doubled == 2)
    #expect(try state[model.first] == 2 && state[model.second] == 2)
    let incremented = try state.modify(try #require(model.second.key), as: Float.self) { value -> Float in
      value += 1
      return value
    }
    #expect(incremented == 3)
  }

  @Test func aSharedStateIsNeverChanged() throws {
    let (model, old) = try exportState(Wide(count: 2_000))
    var new = old
    try new.modify(model.entries[1_500]) { $0 = -1 }
    #expect(try old[model.entries[1_500]] == 1_500)
    #expect(try new[model.entries[1_500]] == -1)
    #expect(try new[model.entries[1_499]] == 1_499)
  }

  @Test func errorsAreTheUpdateErrors() throws {
    let (model, exported) = try exportState(Pair())
    var state = exported
    #expect(throws: StateError.unexportedEntry(valueType: "Float")) { try state.modify(Pair().first) { $0 = 1 } }
    let key = try #require(model.first.key)
    #expect(throws: StateError.typeMismatch(key, expected: "Float", found: "Int")) {
      try state.modify(key, as: Int.self) { $0 = 1 }
    }
    let unknown = try StateKey([.field("nope")])
    #expect(throws: StateError.unknownKey(unknown, entryCount: 2)) { try state.modify(unknown, as: Float.self) { $0 = 1 } }
    #expect(try state[model.first] == 0)
  }

  @Test func twoEntriesChangeTogether() throws {
    let (model, old) = try exportState(Wide(count: 2_000))
    var state = old
    let sum = try state.modify(model.entries[3], model.entries[1_700]) { first, second -> Float in
      first += 0.5
      second = -second
      return first + second
    }
    #expect(sum == 3.5 - 1_700)
    #expect(try state[model.entries[3]] == 3.5 && state[model.entries[1_700]] == -1_700)
    #expect(try old[model.entries[3]] == 3 && old[model.entries[1_700]] == 1_700)
  }

  @Test func twoEntriesMustDiffer() throws {
    let (model, exported) = try exportState(Pair(1, 2))
    var state = exported
    let key = try #require(model.first.key)
    #expect(throws: StateError.overlappingAccess(key)) { try state.modify(model.first, model.first) { $0 += $1 } }
    #expect(throws: StateError.unexportedEntry(valueType: "Float")) { try state.modify(model.first, Pair().second) { $0 += $1 } }
    let second = try #require(model.second.key)
    #expect(throws: StateError.typeMismatch(second, expected: "Float", found: "Int")) {
      try state.modify(model.first, StateEntry<Int>(key: second)) { first, _ in first = 9 }
    }
    #expect(try state[model.first] == 1 && state[model.second] == 2)
  }

  /// With nothing shared, the value's own storage is changed: the array inside is the same.
  @Test(.enabled(if: isOptimizedBuild, "in-place changes need an optimized build"))
  func anUnsharedValueIsChangedWhereItIsStored() throws {
    struct Holder: StateVisitable {
      var values = StateEntry([Float](repeating: 0, count: 64))
      mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) { visitor.visit("values", &values) }
    }
    let (model, exported) = try exportState(Holder())
    var state = exported
    _ = consume exported
    try state.modify(model.values) { $0[0] = 1 }
    let address = try state.modify(model.values) { values in values.withUnsafeBufferPointer { $0.baseAddress } }
    for index in 1..<64 { try state.modify(model.values) { $0[index] = Float(index) } }
    #expect(try state.modify(model.values) { values in values.withUnsafeBufferPointer { $0.baseAddress } } == address)
    #expect(try state[model.values][63] == 63)
  }
}
