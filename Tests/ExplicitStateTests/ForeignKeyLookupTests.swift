import ExplicitState
import Testing

/// Keys that were not exported with the state they read: parsed from names, made by hand, or
/// exported from another copy of the model. They are found by their path's number.
@Suite("Lookups by keys from elsewhere: found by path, at any size")
struct ForeignKeyLookupTests {
  @Test(arguments: [1, 2, 33, 1_000, 5_000])
  func everyEntryIsFoundByItsParsedPath(count: Int) throws {
    let (_, state) = try exportState(Wide(count: count))
    for index in 0..<count {
      let key = StateKey(parsing: ".entries[\(index)]")
      #expect(try state.value(for: key, as: Float.self) == Float(index))
    }
  }

  @Test func pathsThatAreNotThereAreNotFound() throws {
    let (_, state) = try exportState(Wide(count: 1_000))
    for index in 1_000..<2_000 {
      #expect(try !state.contains(StateKey([.field("entries"), .index(index)])))
    }
    #expect(try !state.contains(StateKey([.field("entries")])))
    #expect(try !state.contains(StateKey([.index(0)])))
    #expect(try !state.contains(StateKey([.key("entries"), .index(0)])))
    #expect(!state.contains(StateKey(name: "entries[0]")))
    // A key is what it prints: the name ".entries[0]" is that path, which the state holds.
    #expect(state.contains(StateKey(name: ".entries[0]")))
  }

  @Test func keysOfAnotherExportOfTheSameModelReadAndUpdate() throws {
    let (first, firstState) = try exportState(Wide(count: 500))
    let (_, secondState) = try exportState(Wide(count: 500))
    var state = secondState
    for (index, entry) in first.entries.enumerated() {
      #expect(try state[entry] == Float(index))
      state = try updateState(state, [entry: -Float(index)])
    }
    #expect(try secondState.keys.map { try state.value(for: $0, as: Float.self) } == (0..<500).map { -Float($0) })
    #expect(try firstState.keys.map { try firstState.value(for: $0, as: Float.self) } == (0..<500).map(Float.init))
  }

  @Test func equalPathsHashEquallyAndDifferentKindsDiffer() throws {
    let made = try StateKey([.field("a"), .index(3)])
    let parsed = StateKey(parsing: ".a[3]")
    #expect(made == parsed)
    #expect(made.hashValue == parsed.hashValue)
    #expect(try StateKey([.field("a")]) != StateKey([.key("a")]))
    #expect(try StateKey([.field("a")]) != StateKey([.name("a")]))
    #expect(try Set((0..<1_000).map { try StateKey([.index($0)]) }).count == 1_000)
  }
}
