@testable import ExplicitState
import Testing

/// A module with entries of three types, so that its state has three columns of different
/// depths.
struct Mixed: StateVisitable {
  var floats: [StateEntry<Float>]
  var ints: [StateEntry<Int>]
  var names: [StateEntry<String>]

  init(floats: Int, ints: Int, names: Int) {
    self.floats = (0..<floats).map { StateEntry(Float($0)) }
    self.ints = (0..<ints).map { StateEntry($0) }
    self.names = (0..<names).map { StateEntry("n\($0)") }
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("floats", &floats)
    visitor.visit("ints", &ints)
    visitor.visit("names", &names)
  }
}

@Suite("Storage invariants: the state's tries stay sound after every kind of write")
struct StorageInvariantTests {
  @Test(arguments: [0, 1, 31, 32, 33, 1_024, 1_025, 40_000])
  func exportedStatesAreSound(count: Int) throws {
    let (_, state) = try exportState(Mixed(floats: count, ints: count / 3, names: 5))
    #expect(state.invariantViolations() == [])
  }

  @Test func updatesModifiesAndEditsKeepTheStorageSound() throws {
    let (model, exported) = try exportState(Mixed(floats: 3_000, ints: 700, names: 40))
    // An update of a shared state copies the paths it writes; the old state stays sound.
    var state = try updateState(exported, [model.floats[5]: 1.5, model.floats[2_999]: 2.5])
    #expect(state.invariantViolations() == [])
    #expect(exported.invariantViolations() == [])
    // In place, through a modify and an edit of many values of every type.
    try state.modify(model.ints[699]) { $0 += 1 }
    let copy = state
    try state.edit { editor in
      for entry in model.floats where Int(try editor[entry]) % 7 == 0 { try editor.modify(entry) { $0 += 1 } }
      for entry in model.ints { try editor.modify(entry) { $0 *= 2 } }
      for entry in model.names { try editor.modify(entry) { $0 += "!" } }
    }
    #expect(state.invariantViolations() == [])
    #expect(copy.invariantViolations() == [])
    #expect(try copy[model.names[0]] == "n0" && state[model.names[0]] == "n0!")
    // Untyped updates and a built state.
    let (nameKey, intKey) = (try #require(model.names[3].exportedKey), try #require(model.ints[0].exportedKey))
    state = try updateState(state, [nameKey: "three" as any Sendable, intKey: 9 as any Sendable])
    #expect(state.invariantViolations() == [])
    var builder = StateBuilder()
    for index in 0..<100 { builder.append(index % 2 == 0 ? Float(index) : 0, for: StateKey(name: "b\(index)")) }
    #expect(try builder.build().invariantViolations() == [])
  }

  @Test func aBrokenArrangementIsReported() throws {
    let (_, state) = try exportState(Mixed(floats: 40, ints: 2, names: 0))
    // The same tries under an placement that puts two slots at one position, and claims a
    // column the top node lacks.
    var locations = state.values.placement.locations
    locations[1] = locations[0]
    let broken = State(
      keyTable: state.keyTable,
      values: StorageTrie(
        root: state.values.root,
        placement: StoragePlacement(
          locations: locations, columnTypes: state.values.placement.columnTypes + [ObjectIdentifier(Double.self)],
          columnShifts: state.values.placement.columnShifts + [0])))
    let problems = broken.invariantViolations()
    #expect(problems.contains { $0.contains("shares position") })
    #expect(problems.contains { $0.contains("children for 3 columns") })
  }
}
