@testable import ExplicitState
import Testing

/// Every path is stored once per process and keys carry its number: equal paths have equal
/// numbers however the key was made, from any thread, and exporting a model again stores
/// nothing new.
@Suite("Path registry: one number per path, from any thread")
struct PathRegistryTests {
  /// A prefix no other test uses, so that the paths below are new to the registry.
  static func freshPrefix() -> PathComponent {
    .field("registry\(UInt64.random(in: .min ... .max))")
  }

  @Test func exportingAModelAgainGivesTheSameNumbers() throws {
    let (first, _) = try exportState(Wide(count: 300))
    let (second, state) = try exportState(Wide(count: 300))
    #expect(first.entries.map { $0.key?.pathNumber } == second.entries.map { $0.key?.pathNumber })
    #expect(state.keys.map(\.pathNumber) == second.entries.compactMap { $0.key?.pathNumber })
    #expect(Set(state.keys.map(\.pathNumber)).count == 300)
  }

  @Test func exportsOfModelsThatShareSomePathsSpellEveryKeyRight() throws {
    // Each export expects its paths to follow one another in the registry; here some do
    // (those of the smaller model) and some were made in between or are new.
    let prefix = Self.freshPrefix()
    _ = try StateKey([prefix, .index(0), .field("interleaved")])
    for count in [3, 10, 6, 10] {
      let (_, state) = try exportState(Nested(prefix: prefix, count: count))
      #expect(state.keys.map(\.components) == (0..<count).map { [prefix, .index($0), .field("value")] })
      #expect(try state.keys.map(\.pathNumber) == (0..<count).map { try StateKey([prefix, .index($0), .field("value")]).pathNumber })
    }
  }

  @Test func everySpellingOfAPathHasItsNumber() throws {
    let (model, _) = try exportState(Wide(count: 3))
    let exported = try #require(model.entries[2].key)
    let made = try StateKey([.field("entries"), .index(2)])
    let parsed = StateKey(parsing: ".entries[2]")
    #expect(made.pathNumber == exported.pathNumber)
    #expect(parsed.pathNumber == exported.pathNumber)
    #expect(try StateKey([.field("entries")]).pathNumber != exported.pathNumber)
    #expect(StateKey.root.pathNumber == PathRegistry.root)
    #expect(try StateKey([]).pathNumber == PathRegistry.root)
  }

  @Test func manyNewPathsAreAllKeptAndSpelledBack() throws {
    // Far more paths than the registry's first index holds, so it grows while they arrive.
    let prefix = Self.freshPrefix()
    let keys = try (0..<5_000).map { try StateKey([prefix, .index($0), .key("k\($0 % 7)")]) }
    #expect(Set(keys.map(\.pathNumber)).count == 5_000)
    for (index, key) in keys.enumerated() {
      #expect(key.components == [prefix, .index(index), .key("k\(index % 7)")])
      #expect(try StateKey(key.components).pathNumber == key.pathNumber)
    }
  }

  @Test func threadsMakingTheSamePathsAgreeOnTheirNumbers() async throws {
    let prefix = Self.freshPrefix()
    let paths = (0..<2_000).map { [prefix, .index($0 % 50), .field("f\($0)")] as [PathComponent] }
    let numbers = await withTaskGroup(of: [Int].self) { group in
      for task in 0..<8 {
        group.addTask {
          // Each task makes the paths in its own order, so they race to store each one.
          let order = task.isMultiple(of: 2) ? Array(paths.indices) : paths.indices.reversed()
          var numbers = [Int](repeating: 0, count: paths.count)
          for index in order { numbers[index] = (try? StateKey(paths[index]))?.pathNumber ?? -1 }
          return numbers
        }
      }
      var all: [[Int]] = []
      for await numbers in group { all.append(numbers) }
      return all
    }
    #expect(numbers.count == 8)
    #expect(numbers.allSatisfy { $0 == numbers[0] })
    #expect(Set(numbers[0]).count == 2_000)
    for (index, number) in numbers[0].enumerated() {
      #expect(StateKey(pathNumber: number, slot: -1).components == paths[index])
    }
  }

  @Test func exportsOnManyThreadsAgreeOnEveryKey() async throws {
    // Half the tasks export models whose paths are new to the registry as they run, half a
    // model whose paths all tasks share.
    let prefix = Self.freshPrefix()
    let results = try await withThrowingTaskGroup(of: (Int, [[PathComponent]], [Int]).self) { group in
      for task in 0..<8 {
        group.addTask {
          let count = 50 + task * 10
          let model = task.isMultiple(of: 2) ? Nested(prefix: prefix, count: count) : Nested(prefix: .field("shared"), count: 200)
          let (_, state) = try exportState(model)
          return (task, state.keys.map(\.components), state.keys.map(\.pathNumber))
        }
      }
      var all: [(Int, [[PathComponent]], [Int])] = []
      for try await result in group { all.append(result) }
      return all
    }
    #expect(results.count == 8)
    for (task, components, numbers) in results {
      let expected: [[PathComponent]] = task.isMultiple(of: 2)
        ? (0..<(50 + task * 10)).map { [prefix, .index($0), .field("value")] }
        : (0..<200).map { [.field("shared"), .index($0), .field("value")] }
      #expect(components == expected)
      #expect(try numbers == expected.map { try StateKey($0).pathNumber })
    }
  }

  @Test func existingPathFindsKeysAndStoresNothingForOthers() throws {
    let (model, state) = try exportState(Wide(count: 5))
    let found = try #require(StateKey(existingPath: ".entries[3]"))
    #expect(found == model.entries[3].key)
    #expect(try state.value(for: found, as: Float.self) == 3)
    #expect(StateKey(existingPath: "") == .root)
    // Hostile names: new fields, indices, keys and names. None is stored by looking it up, so
    // looking it up again still finds nothing; parsing one stores it.
    let tag = UInt64.random(in: .min ... .max)
    let texts = (0..<2_000).map { index in
      [".fresh\(tag)[\(index)]", ".entries[\(1_000_000 + index)].t\(tag)", "['x\(tag)_\(index)']", "name \(tag) \(index)/a.b"][index % 4]
    }
    for _ in 0..<2 {
      for text in texts { #expect(StateKey(existingPath: text) == nil) }
    }
    let parsed = StateKey(parsing: texts[7])
    #expect(StateKey(existingPath: texts[7]) == parsed)
    #expect(PathRegistry.shared.storedPathCount >= parsed.pathNumber)
  }

  @Test func rowsSitInChunksThatDoubleAndNeverMove() {
    typealias Store = PathRegistry.RowStore
    #expect(Store.place(of: 1) == (0, 0))
    #expect(Store.place(of: 1_024) == (0, 1_023))
    #expect(Store.place(of: 1_025) == (1, 0))
    #expect(Store.place(of: 3_072) == (1, 2_047))
    #expect(Store.place(of: 3_073) == (2, 0))
    #expect(Store.place(of: 7_168) == (2, 4_095))
    // Every path up to a few chunks lands on a distinct place, in order.
    var last = (chunk: 0, offset: -1)
    for path in 1...20_000 {
      let place = Store.place(of: path)
      #expect(place == (last.chunk, last.offset + 1) || place == (last.chunk + 1, 0))
      last = place
    }
  }

  @Test func keysCompareAndPrintWhileOtherThreadsStorePaths() async throws {
    // Readers take no lock: comparing and printing keys races with exports that add rows, and
    // crosses chunk boundaries as the table grows (ThreadSanitizer runs this in CI).
    let prefix = Self.freshPrefix()
    let tag = UInt64.random(in: .min ... .max)
    let known = try (0..<64).map { try StateKey([prefix, .index($0)]) }
    let sortedPaths = known.sorted().map(\.path)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for writer in 0..<2 {
        group.addTask {
          for round in 0..<20 {
            _ = try exportState(Nested(prefix: .field("grow\(writer)_\(round)_\(tag)"), count: 300))
          }
        }
      }
      for _ in 0..<2 {
        group.addTask {
          for _ in 0..<200 {
            #expect(known.sorted().map(\.path) == sortedPaths)
            #expect(known[5] < known[40] && !(known[40] < known[5]))
          }
        }
      }
      try await group.waitForAll()
    }
  }

  @Test func exportsAgainTakeTheirPathsWithoutTheLockAndStillRefuseInvalidOnes() throws {
    // A second export finds its paths published; an invalid path, once stored, sends every
    // later export through the locked path, which still refuses it and still numbers the rest.
    let prefix = Self.freshPrefix()
    let first = try exportState(Nested(prefix: prefix, count: 20)).1.keys.map(\.pathNumber)
    #expect(try exportState(Nested(prefix: prefix, count: 20)).1.keys.map(\.pathNumber) == first)
    let invalid = Nested(prefix: .field("bad.name\(UInt64.random(in: .min ... .max))"), count: 2)
    #expect(throws: StateError.self) { try exportState(invalid) }
    #expect(try exportState(Nested(prefix: prefix, count: 20)).1.keys.map(\.pathNumber) == first)
    #expect(throws: StateError.self) { try exportState(invalid) }
    let longer = try exportState(Nested(prefix: prefix, count: 25)).1.keys.map(\.pathNumber)
    #expect(Array(longer.prefix(20)) == first && Set(longer).count == 25)
  }

  @Test func aKeyWhoseSlotHintPointsElsewhereIsFoundByItsPath() throws {
    let (model, exported) = try exportState(Wide(count: 40))
    var builder = StateBuilder()
    for key in exported.keys.reversed() {
      builder.append(try exported.value(for: key, as: Float.self), for: key)
    }
    let reversed = try builder.build()
    for (index, entry) in model.entries.enumerated() {
      #expect(try reversed[entry] == Float(index))
    }
    #expect(reversed.keys.first?.path == ".entries[39]")
  }
}

/// Entries at `prefix[i].value`.
private struct Nested: StateVisitable {
  struct Cell: StateVisitable {
    var value = StateEntry(Float(0))

    mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
      visitor.visit("value", &value)
    }
  }

  let prefix: PathComponent
  var cells: [Cell]

  init(prefix: PathComponent, count: Int) {
    self.prefix = prefix
    cells = Array(repeating: Cell(), count: count)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.enter(prefix)
    cells.visitChildren(&visitor)
    visitor.exit()
  }
}
