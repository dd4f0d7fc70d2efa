@testable import DataEffects
import Testing

/// Facts about types (names, node kinds) are worked out once per process and shared by every
/// walk, from any thread.
@Suite("Process type cache: one fact per type, whichever thread asks")
struct ProcessTypeCacheTests {
  private struct First {}
  private struct Second {}

  @Test func aFactIsWorkedOutOnceForEachType() {
    let cache = ProcessTypeCache<String>()
    var made = 0
    let first = cache.value(for: First.self) { made += 1; return "first" }
    let again = cache.value(for: First.self) { made += 1; return "changed" }
    let second = cache.value(for: Second.self) { made += 1; return "second" }
    #expect([first, again, second] == ["first", "first", "second"])
    #expect(made == 2)
  }

  @Test func threadsAgreeOnEachFact() async {
    let cache = ProcessTypeCache<Int>()
    let types: [Any.Type] = [Int.self, Float.self, Double.self, String.self, Bool.self, UInt8.self, [Int].self, First.self]
    let seen = await withTaskGroup(of: [Int].self) { group in
      for _ in 0..<8 {
        group.addTask {
          // Each task would store its own random fact; only the first stored counts.
          types.map { type in cache.value(for: type) { Int.random(in: .min ... .max) } }
        }
      }
      var all: [[Int]] = []
      for await values in group { all.append(values) }
      return all
    }
    #expect(seen.count == 8)
    #expect(seen.allSatisfy { $0 == seen[0] })
    #expect(types.map { type in cache.value(for: type) { 0 } } == seen[0])
  }
}
