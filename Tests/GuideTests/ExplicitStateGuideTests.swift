import StateKeys
import Testing

// Mirrors of Guides/ExplicitState.md: each region is a code block of the guide, verbatim.

// snippet: moments
struct Moments: StateVisitable, Equatable {
  var first: StateEntry<Tensor>
  var second: StateEntry<Tensor>

  init(features: Int) throws {
    first = StateEntry(try .zeros([features]))
    second = StateEntry(try .ones([features]))
  }

  func callAsFunction(_ x: Tensor, _ state: consuming State) throws -> State {
    let first = try state[self.first]
    let second = try state[self.second]
    return try updateState(state, [
      self.first: 0.9 * first + 0.1 * x,
      self.second: 0.9 * second + 0.1 * x.squared(),
    ])
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("first", &first)
    visitor.visit("second", &second)
  }
}
// end-snippet

// snippet: mlp
struct MLP: StateVisitable, Equatable {
  var inStats: Moments
  var outStats: Moments
  var l1: Linear
  var l2: Linear
  var l3: Linear
  var relu = ReLU()

  init(inFeatures: Int, classes: Int, key: RandomKey) throws {
    let keys = try key.split(into: 3)
    inStats = try Moments(features: inFeatures)
    outStats = try Moments(features: classes)
    l1 = try Linear(inFeatures: inFeatures, outFeatures: 64, key: keys[0])
    l2 = try Linear(inFeatures: 64, outFeatures: 64, key: keys[1])
    l3 = try Linear(inFeatures: 64, outFeatures: classes, key: keys[2])
  }

  func callAsFunction(_ x: Tensor, _ state: consuming State) throws -> (Tensor, State) {
    var state = try inStats(x, state)
    var x = try l1(x)
    x = relu(x)
    x = try l2(x)
    x = relu(x)
    x = try l3(x)
    state = try outStats(x, state)
    return (x, state)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("inStats", &inStats)
    visitor.visit("outStats", &outStats)
  }
}
// end-snippet

// snippet: leaf
enum Leaf: StateVisitable, Equatable {
  case number(Int)
  case entry(StateEntry<Tensor>)

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    guard case .entry(var entry) = self else { return }
    visitor.visit(unnamed: &entry)
    self = .entry(entry)
  }
}
// end-snippet

// snippet: stack
struct Stack: StateVisitable {
  var layers: [Moments]
  var heads: [String: Moments]
  var extra: Moments?

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("layers", &layers)
    visitor.visit("heads", &heads)
    visitor.visit("extra", &extra)
  }
}
// end-snippet

@Suite("Guide: ExplicitState.md")
struct ExplicitStateGuideTests {
  @Test func firstExample() throws {
    // snippet: explicit-state-first-example
    let mlp = try MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0))
    let (model, state) = try exportState(mlp)
    let x = try Tensor.normal([16], key: RandomKey(seed: 1))
    let (y, newState) = try model(x, state)
    // y ≈ [0.0613, 0.1047, -0.0220]: Inox's output for the same keys
    // end-snippet
    #expect(y.isApproximatelyEqual(to: Tensor([0.0613289475, 0.1047163606, -0.0219643768]), tolerance: 1e-6))
    #expect(newState.keys == state.keys)
  }

  @Test func exportAndPrint() throws {
    // snippet: export-and-print
    let mlp = try MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0))
    let (model, state) = try exportState(mlp)
    print(treeDescription(of: model))
    print(state)
    // end-snippet
    #expect(treeDescription(of: model).hasPrefix("MLP(\n  inStats: Moments(\n    first: StateKey(\".inStats.first\"),"))
    #expect(state.description == """
      State {
        StateKey(".inStats.first"): Float[16]
        StateKey(".inStats.second"): Float[16]
        StateKey(".outStats.first"): Float[3]
        StateKey(".outStats.second"): Float[3]
      }
      """)
  }

  @Test func naturalCallPattern() throws {
    let (model, initial) = try exportState(MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0)))
    let inputs = try (2..<5).map { try Tensor.normal([16], key: RandomKey(seed: $0)) }
    // snippet: natural-call-pattern
    var state = initial
    var outputs: [Tensor] = []
    for x in inputs {
      let y: Tensor
      (y, state) = try model(x, state)
      outputs.append(y)
    }
    // end-snippet
    #expect(outputs.count == 3)
    // After three calls the running first moment is 0.1·(0.81·x₀ + 0.9·x₁ + x₂).
    let expected = try 0.1 * (0.81 * inputs[0] + 0.9 * inputs[1] + inputs[2])
    #expect(try state[model.inStats.first].isApproximatelyEqual(to: expected, tolerance: 1e-6))
    #expect(try initial[model.inStats.first] == Tensor.zeros([16]))
  }

  @Test func readAndUpdate() throws {
    let (model, state) = try exportState(MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0)))
    // snippet: read-and-update
    let second = try state[model.inStats.second]     // a Tensor of ones
    let doubled = try updateState(state, [model.inStats.second: 2 * second])
    // `state` still holds ones; `doubled` holds twos at .inStats.second
    // end-snippet
    #expect(try state[model.inStats.second] == Tensor.ones([16]))
    #expect(try doubled[model.inStats.second] == Tensor(repeating: 2, shape: [16]))
    #expect(try doubled[model.inStats.first] == state[model.inStats.first])
  }

  @Test func modifyInPlace() throws {
    let (model, initial) = try exportState(MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0)))
    // snippet: modify-in-place
    var state = initial
    try state.modify(model.inStats.second) { second in second *= 2 }
    // `initial` still holds ones; `state` holds twos. With nothing shared, the tensor's
    // elements are doubled where they are stored, and nothing is copied.
    // end-snippet
    #expect(try state[model.inStats.second] == Tensor(repeating: 2, shape: [16]))
    #expect(try initial[model.inStats.second] == Tensor.ones([16]))
  }

  @Test func editMany() throws {
    let (model, exported) = try exportState(MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0)))
    let initial = try updateState(exported, [model.inStats.first: try Tensor(repeating: 5, shape: [16])])
    // snippet: edit-many
    var reset = initial
    try reset.edit { editor in
      for statistics in [model.inStats, model.outStats] {
        try editor.modify(statistics.first) { first in first *= 0 }
        try editor.modify(statistics.second) { second in second = try Tensor.ones(second.shape) }
      }
    }
    // `initial` is unchanged: an edit copies what it shares, as `modify` does.
    // end-snippet
    #expect(try reset[model.inStats.first] == Tensor.zeros([16]))
    #expect(try reset[model.outStats.second] == Tensor.ones([3]))
    #expect(try initial[model.inStats.first] == Tensor(repeating: 5, shape: [16]))
  }

  @Test func updatesNeverAddKeys() throws {
    let (_, state) = try exportState(MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0)))
    var messages: [String] = []
    // snippet: update-errors
    let unknown = try StateKey([.field("brand"), .field("new")])
    do {
      _ = try updateState(state, [unknown: try Tensor.zeros([16])])
    } catch {
      print(error)
      // updateState: StateKey(".brand.new") is not in this state of 4 entries;
      // updateState changes existing entries and never adds keys.
      messages.append("\(error)")
    }
    // end-snippet
    #expect(messages == [
      #"updateState: StateKey(".brand.new") is not in this state of 4 entries; updateState changes existing entries and never adds keys."#
    ])
  }

  @Test func importRoundTrip() throws {
    let mlp = try MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0))
    let (model, state) = try exportState(mlp)
    // snippet: import-round-trip
    let restored = try importState(model, state)
    // restored == mlp: its entries hold the state's values again
    // end-snippet
    #expect(restored == mlp)
    #expect(restored != model)
  }

  @Test func inoxDocstringExample() throws {
    // snippet: inox-docstring
    let tree: [String: Leaf] = ["a": .number(1), "b": .entry(StateEntry(try .zeros([2])))]
    let (exported, state) = try exportState(tree)
    print(state)
    // State {
    //   StateKey("['b']"): Float[2]
    // }
    if case .entry(let b) = exported["b"] {
      print(b)               // StateKey("['b']")
      print(try state[b])    // Tensor([2], [0.0, 0.0])
    }
    // end-snippet
    #expect(exported["a"] == .number(1))
    #expect(state.description == "State {\n  StateKey(\"['b']\"): Float[2]\n}")
    guard case .entry(let entry) = exported["b"] else {
      Issue.record("exported['b'] is not an entry")
      return
    }
    #expect(entry.description == #"StateKey("['b']")"#)
    #expect(try state[entry].description == "Tensor([2], [0.0, 0.0])")
  }

  @Test func containerKeys() throws {
    // snippet: container-keys
    let stack = Stack(
      layers: [try Moments(features: 2), try Moments(features: 2)],
      heads: ["b": try Moments(features: 2), "a": try Moments(features: 2)],
      extra: nil)
    let (_, state) = try exportState(stack)
    print(state.keys.map(\.path))
    // [".layers[0].first", ".layers[0].second", ".layers[1].first", ".layers[1].second",
    //  ".heads['a'].first", ".heads['a'].second", ".heads['b'].first", ".heads['b'].second"]
    // end-snippet
    #expect(state.keys.map(\.path) == [
      ".layers[0].first", ".layers[0].second", ".layers[1].first", ".layers[1].second",
      ".heads['a'].first", ".heads['a'].second", ".heads['b'].first", ".heads['b'].second",
    ])
  }
}
