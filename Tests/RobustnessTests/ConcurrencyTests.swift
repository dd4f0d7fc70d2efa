import StateKeys
import Testing

/// A stack of `Moments` around a linear layer: explicit state, called as `(y, state) = model(x, state)`.
struct MomentsNetwork: StateVisitable {
  var layers: [Moments]
  var projection: Linear

  init() throws {
    layers = try (0..<6).map { _ in try Moments(features: 8) }
    projection = try Linear(inFeatures: 8, outFeatures: 8, key: RandomKey(seed: 3))
  }

  func callAsFunction(_ x: Tensor, _ state: consuming State) throws -> (Tensor, State) {
    var state = state
    var x = x
    for layer in layers {
      state = try layer(x, state)
      x = relu(try projection(x))
    }
    return (x, state)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("layers", &layers)
    visitor.visit("projection", &projection)
  }
}

/// Adds its input into a local state and draws a dropout key: two effects per call.
struct Accumulator: Layer {
  var total: LocalStateEffect<Tensor> = .initial(category: "state") { Tensor([Float](repeating: 0, count: 8)) }
  var dropout = try! StochasticDropout(dropRate: 0.25)

  func callAsFunction(_ x: Tensor) throws -> Tensor {
    try total.set(total.get() + x)
    return try dropout(x)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("total", &total)
    visitor.visit("dropout", &dropout)
  }
}

@Suite("Concurrency: many tasks, one model, their own states")
struct ConcurrencyTests {
  static let tasks = 64
  static let callsPerTask = 40

  func input(_ task: Int, _ call: Int) throws -> Tensor {
    try Tensor.normal([8], key: RandomKey(seed: task * 1000 + call))
  }

  @Test func explicitStateCallsMatchTheSerialOnes() async throws {
    let (model, initial) = try exportState(MomentsNetwork())
    @Sendable func run(_ task: Int) throws -> [Float] {
      var state = initial
      var outputs: [Float] = []
      for call in 0..<Self.callsPerTask {
        let y: Tensor
        (y, state) = try model(try input(task, call), state)
        outputs.append(y.sum())
      }
      return outputs + state.keys.map { (try? state.value(for: $0, as: Tensor.self).sum()) ?? .nan }
    }
    #expect(try await concurrentResults(of: run) == (0..<Self.tasks).map(run))
    #expect(try initial[model.layers[0].first] == Tensor.zeros([8]))
  }

  @Test func handledCallsMatchTheSerialOnes() async throws {
    let body = Sequential([Accumulator(), Accumulator()])
    let (handled, initial) = try handleLocalStates(WithRandomKeyFromArg.handling(body), category: "state")
    @Sendable func run(_ task: Int) throws -> [Float] {
      var state = initial
      var outputs: [Float] = []
      for call in 0..<Self.callsPerTask {
        let y: any Sendable
        (y, state) = try handled(((try input(task, call), RandomKey(seed: task)), state))
        outputs.append((y as? Tensor)?.sum() ?? .nan)
      }
      return outputs + state.keys.map { (try? state.value(for: $0, as: Tensor.self).sum()) ?? .nan }
    }
    #expect(try await concurrentResults(of: run) == (0..<Self.tasks).map(run))
  }

  /// `run(task)` for every task, all running at once, in task order.
  func concurrentResults(of run: @escaping @Sendable (Int) throws -> [Float]) async throws -> [[Float]] {
    try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
      for task in 0..<Self.tasks {
        group.addTask { (task, try run(task)) }
      }
      var results = Array(repeating: [Float](), count: Self.tasks)
      for try await (task, outputs) in group { results[task] = outputs }
      return results
    }
  }

  /// Edits stamp the storage they make their own; tasks editing copies of one state, each
  /// many times, must each copy what they share and never write into another's values.
  @Test func editsOfCopiesOfOneStateStayApart() async throws {
    let (model, shared) = try exportState(MomentsNetwork())
    let entries = model.layers.map(\.first)
    @Sendable func run(_ task: Int) throws -> [Float] {
      var mine = shared
      var sums: [Float] = []
      for round in 1...Self.callsPerTask {
        let value = Float(task * 1_000 + round)
        try mine.edit { editor in
          for entry in entries { try editor.modify(entry) { $0 = try Tensor(repeating: value, shape: [8]) } }
        }
        let kept = mine
        try mine.edit { editor in
          for entry in entries { try editor.modify(entry) { try $0 += Tensor.ones([8]) } }
        }
        for entry in entries { sums += [try kept[entry].sum(), try mine[entry].sum()] }
      }
      return sums
    }
    var expected: [[Float]] = []
    for task in 0..<Self.tasks {
      var sums: [Float] = []
      for round in 1...Self.callsPerTask {
        let value = Float(task * 1_000 + round)
        for _ in entries { sums += [8 * value, 8 * (value + 1)] }
      }
      expected.append(sums)
    }
    #expect(try await concurrentResults(of: run) == expected)
    for entry in entries { #expect(try shared[entry] == Tensor.zeros([8])) }
  }

  @Test func sharedStatesStayUnchangedWhileCopiesAreUpdated() async throws {
    let (model, shared) = try exportState(MomentsNetwork())
    let entries = model.layers.map(\.first)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for task in 0..<Self.tasks {
        group.addTask {
          var mine = shared
          for (index, entry) in entries.enumerated() {
            mine = try updateState(mine, [entry: try Tensor(repeating: Float(task * 10 + index), shape: [8])])
            _ = try shared[entry]
          }
          for (index, entry) in entries.enumerated() where try mine[entry] != Tensor(repeating: Float(task * 10 + index), shape: [8]) {
            throw StateError.missingKey(try #require(entry.key), entryCount: index)
          }
        }
      }
      try await group.waitForAll()
    }
    for entry in entries { #expect(try shared[entry] == Tensor.zeros([8])) }
  }
}
