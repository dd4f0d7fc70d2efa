import StateKeys
import Testing

@Suite("Printing: model trees with their keys, states one entry per line")
struct PrintingTests {
  @Test func anExportedModelPrintsAsATreeWithKeysWhereEntriesWere() throws {
    let mlp = try MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0))
    let (model, _) = try exportState(mlp)
    #expect(treeDescription(of: model) == """
      MLP(
        inStats: Moments(
          first: StateKey(".inStats.first"),
          second: StateKey(".inStats.second")
        ),
        outStats: Moments(
          first: StateKey(".outStats.first"),
          second: StateKey(".outStats.second")
        ),
        l1: Linear(weight: Float[16, 64], bias: Float[64]),
        l2: Linear(weight: Float[64, 64], bias: Float[64]),
        l3: Linear(weight: Float[64, 3], bias: Float[3]),
        relu: ReLU()
      )
      """)
    #expect(treeDescription(of: mlp).contains("inStats: Moments(first: StateEntry(Float[16]), second: StateEntry(Float[16])),"))
  }

  @Test func aStatePrintsOneSortedEntryPerLineWithSummaries() throws {
    let (_, state) = try exportState(MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0)))
    #expect(state.description == """
      State {
        StateKey(".inStats.first"): Float[16]
        StateKey(".inStats.second"): Float[16]
        StateKey(".outStats.first"): Float[3]
        StateKey(".outStats.second"): Float[3]
      }
      """)
  }

  @Test func otherValuesPrintOnOneShortLine() throws {
    let entries: [String: StateEntry<[Float]>] = [
      "z": StateEntry([1, 2]), "a": StateEntry(Array(repeating: 0.5, count: 40)),
    ]
    let (_, state) = try exportState(entries)
    #expect(state.description == """
      State {
        StateKey("['a']"): [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5…
        StateKey("['z']"): [1.0, 2.0]
      }
      """)
    #expect(stateSummary(of: "moments") == #""moments""#)
    #expect(treeDescription(of: [1: Optional<Int>.none, 0: 5]) == "[0: 5, 1: nil]")
  }
}
