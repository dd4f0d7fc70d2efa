import ExplicitState
import Testing

@Suite("StateBuilder: states from keys and values, of several types, builders as values")
struct StateBuilderTests {
  @Test func valuesOfSeveralTypesKeepTheirOrderAndTypes() throws {
    var builder = StateBuilder()
    for index in 0..<100 {
      if index.isMultiple(of: 3) {
        builder.append("s\(index)", for: StateKey(name: "k\(index)"))
      } else {
        builder.append(Float(index), for: StateKey(name: "k\(index)"))
      }
    }
    let state = try builder.build()
    #expect(state.count == 100)
    #expect(state.keys.map(\.path) == (0..<100).map { "k\($0)" })
    #expect(try state.value(for: StateKey(name: "k3"), as: String.self) == "s3")
    #expect(try state.value(for: StateKey(name: "k98"), as: Float.self) == 98)
    #expect(throws: StateError.typeMismatch(StateKey(name: "k4"), expected: "String", found: "Float")) {
      try state.value(for: StateKey(name: "k4"), as: String.self)
    }
  }

  @Test func aBuiltStateNeverSeesLaterAppends() throws {
    var builder = StateBuilder()
    builder.append(Float(1), for: StateKey(name: "a"))
    let first = try builder.build()
    builder.append(Float(2), for: StateKey(name: "b"))
    let second = try builder.build()
    #expect(first.count == 1 && second.count == 2)
    #expect(try second.value(for: StateKey(name: "b"), as: Float.self) == 2)
    var changed = first
    try changed.update(StateKey(name: "a"), to: Float(-1))
    #expect(try first.value(for: StateKey(name: "a"), as: Float.self) == 1)
    #expect(try second.value(for: StateKey(name: "a"), as: Float.self) == 1)
  }

  @Test func aCopiedBuilderIsIndependent() throws {
    var original = StateBuilder()
    for index in 0..<40 { original.append(index, for: StateKey(name: "n\(index)")) }
    var copy = original
    copy.append(-1, for: StateKey(name: "extra"))
    original.append(99, for: StateKey(name: "other"))
    let fromOriginal = try original.build()
    let fromCopy = try copy.build()
    #expect(fromOriginal.keys.last?.path == "other" && fromCopy.keys.last?.path == "extra")
    #expect(try fromOriginal.value(for: StateKey(name: "other"), as: Int.self) == 99)
    #expect(try fromCopy.value(for: StateKey(name: "extra"), as: Int.self) == -1)
    #expect(try fromCopy.value(for: StateKey(name: "n39"), as: Int.self) == 39)
  }

  /// Copies of one builder, built and appended to on many tasks at once, never see each
  /// other's values (run under ThreadSanitizer by CI).
  @Test func copiesBuildAndAppendOnManyTasksAtOnce() async throws {
    var original = StateBuilder()
    for index in 0..<50 { original.append(Float(index), for: StateKey(name: "v\(index)")) }
    let shared = original
    let results = await withTaskGroup(of: [Float].self) { group in
      for task in 0..<8 {
        group.addTask {
          var builder = shared
          let before = (try? builder.build())?.count ?? -1
          let extraKey = StateKey(name: "extra")
          builder.append(Float(100 + task), for: extraKey)
          guard let state = try? builder.build() else { return [] }
          let extra = (try? state.value(for: extraKey, as: Float.self)) ?? -1
          return [Float(before), Float(state.count), extra]
        }
      }
      return await group.reduce(into: [[Float]]()) { $0.append($1) }
    }
    #expect(results.count == 8)
    #expect(Set(results.map { [$0[0], $0[1]] }) == [[50, 51]])
    #expect(Set(results.map { $0[2] }) == Set((0..<8).map { Float(100 + $0) }))
    #expect(try original.build().count == 50)
  }
}
