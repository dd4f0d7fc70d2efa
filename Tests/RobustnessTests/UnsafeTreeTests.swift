import StateKeys
import Testing

@Suite("Export: trees it cannot key safely are refused, never crash")
struct UnsafeTreeTests {
  /// A class-typed layer is refused, and the caller's model keeps its values: a second export
  /// still fails the same way instead of returning an empty state.
  @Test func aClassInTheTreeIsRefusedAndTheModelIsUnchanged() throws {
    let model = HoldsASharedLayer()
    for _ in 0..<2 {
      #expect(throws: StateError.referenceTypeNode(path: ".layer", type: "RobustnessTests.SharedLayer")) {
        try exportState(model)
      }
      #expect(model.layer.entry.value == 0)
      #expect(!model.layer.entry.isExported)
    }
    #expect(throws: StateError.referenceTypeNode(path: "", type: "RobustnessTests.SharedLayer")) {
      try exportState(SharedLayer())
    }
  }

  /// 100,000 levels of nesting throw a typed error instead of overflowing the stack.
  @Test func aTreeOf100000LevelsThrows() {
    var chain = Chain.deep(100_000)
    defer { Chain.dismantle(&chain) }
    #expect(throws: StateError.self) { try exportState(chain) }
  }

  /// A tree as deep as the limit allows exports, on a test's thread in a debug build: the
  /// limit leaves room on the stack. Each level of the chain is two components (`.next[0]`).
  @Test func aTreeAtTheLimitExports() throws {
    let levels = (StateLimits.maximumDepth - 1) / 2
    var chain = Chain.deep(levels)
    defer { Chain.dismantle(&chain) }
    let (_, state) = try exportState(chain)
    #expect(state.count == levels + 1)
    #expect(state.keys.map(\.components.count).max() == 2 * levels + 1)
  }
}
