import DataEffects
import ExplicitState
import TestSupport
import Testing

/// Thousands of generated trees per run; a failure names the seed that reproduces it.
@Suite("Properties of generated module trees")
struct PropertyTests {
  static let seeds: [UInt64] = Array(1...1500)

  func tree(_ seed: UInt64) -> GeneratedTree {
    var generator = SplitMix64(seed: seed)
    return GeneratedTree.make(&generator, budget: Int.random(in: 20...1500, using: &generator))
  }

  /// All export properties of one tree, checked in one pass; returns the failures.
  func exportFailures(seed: UInt64) throws -> [String] {
    var failures: [String] = []
    let original = tree(seed)
    let (exported, state) = try exportState(original)
    if state.count != original.entryCount { failures.append("\(state.count) keys for \(original.entryCount) entries") }
    if Set(state.keys).count != state.count { failures.append("duplicate keys") }
    if try importState(exported, state) != original { failures.append("export → import did not round-trip") }
    if try exportState(original).1.keys.map(\.path) != state.keys.map(\.path) { failures.append("keys differ between exports") }
    if !(try exportState(exported).1.isEmpty) { failures.append("re-export found entries") }
    for key in state.keys where StateKey(parsing: key.path) != key {
      failures.append("key \(key.path) does not parse back")
    }
    if let floatKey = state.keys.first(where: { state.valueTypeName(for: $0) == "Float" }) {
      let updated = try updateState(state, [floatKey: Float(-12345)])
      for key in state.keys where key != floatKey {
        if "\(try state.anyValue(for: key))" != "\(try updated.anyValue(for: key))" {
          failures.append("updating \(floatKey.path) changed \(key.path)")
        }
      }
      if try updated.value(for: floatKey, as: Float.self) != -12345 { failures.append("the update was lost") }
      if try state.value(for: floatKey, as: Float.self) == -12345 { failures.append("the old state changed") }
      failures += updated.invariantViolations()
    }
    failures += state.invariantViolations()
    return failures
  }

  @Test func exportImportAndUpdatesHoldForEveryGeneratedTree() throws {
    var failed: [String] = []
    for seed in Self.seeds {
      let failures = try exportFailures(seed: seed)
      if !failures.isEmpty { failed.append("seed \(seed): " + failures.joined(separator: "; ")) }
    }
    #expect(failed.count == 0, "\(failed.prefix(5).joined(separator: "\n"))")
  }

  @Test func handlingThenFreezingRoundTripsForEveryGeneratedTree() throws {
    var failed: [String] = []
    for seed in Self.seeds.prefix(800) {
      let original = tree(seed)
      do {
        let all: @Sendable (String) -> Bool = { _ in true }
        let (handled, state) = try handleLocalStates(original, categoryPredicate: all)
        let (_, after) = try handled((Float(1), state))
        let frozen = try freezeLocalStates(handled, after)
        let (rehandled, restate) = try handleLocalStates(frozen, categoryPredicate: all, handlerID: handled.handlerID)
        if restate.keys != state.keys { failed.append("seed \(seed): keys changed across freeze") }
        for key in state.keys where try restate.value(for: key, as: Float.self) != after.value(for: key, as: Float.self) {
          failed.append("seed \(seed): \(key.path) changed across freeze")
        }
        if rehandled.handlerID != handled.handlerID { failed.append("seed \(seed): handler ID changed") }
        if try handleLocalStates(original, categoryPredicate: all).0.handlerID != handled.handlerID {
          failed.append("seed \(seed): handler ID is not deterministic")
        }
      } catch {
        failed.append("seed \(seed): \(error)")
      }
    }
    #expect(failed.count == 0, "\(failed.prefix(5).joined(separator: "\n"))")
  }

  @Test func generatedTreesAreLargeAndVaried() {
    let counts = Self.seeds.prefix(200).map { tree($0).entryCount }
    #expect(counts.max() ?? 0 >= 200)
    #expect(counts.filter { $0 >= 20 }.count >= 100)
  }

  /// Keys depend only on the tree: this seed's keys are fixed, in every run and on every machine.
  @Test func keysAreStableAcrossRuns() throws {
    let (_, state) = try exportState(tree(7))
    #expect(state.count > 20)
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in state.keys.map(\.path).joined(separator: "\n").utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    #expect(String(hash, radix: 16) == Self.pathDigestOfSeed7, "seed 7 exported \(state.count) keys: \(state.keys.prefix(3).map(\.path))")
  }

  /// The FNV-1a digest of seed 7's key paths, one per line (the generator uses the standard
  /// library's `Int.random(in:using:)`, so a toolchain that changes it changes this too).
  static let pathDigestOfSeed7 = "adc35f2b9e9fd49d"
}
