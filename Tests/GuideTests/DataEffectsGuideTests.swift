import StateKeys
import Testing

// Mirrors of Guides/DataEffects.md: each region is a code block of the guide, verbatim.

// snippet: simple-stochastic-dropout
struct SimpleStochasticDropout: Layer {
  var dropRate: Float
  var rng: RandomEffect = .request

  func callAsFunction(_ x: Tensor) throws -> Tensor {
    let key = try rng.nextKey()
    let keep = try key.bernoulli(probability: 1 - dropRate, shape: x.shape)
    let kept = zip(x.scalars, keep).map { value, isKept in isKept ? value / (1 - dropRate) : 0 }
    return try Tensor(shape: x.shape, scalars: kept)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("rng", &rng)
  }
}
// end-snippet

// snippet: example-layer-with-a-state
struct ExampleLayerWithAState: Layer {
  var accumulator: LocalStateEffect<Float>

  func callAsFunction(_ x: Float) throws -> Float {
    try accumulator.set(accumulator.get() + x)
    return x
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("accumulator", &accumulator)
  }

  static func fromConfig(category: String = "example_state") -> ExampleLayerWithAState {
    ExampleLayerWithAState(accumulator: .initial(category: category) { 0 })
  }
}
// end-snippet

// snippet: my-layer-with-side-inputs
struct MyLayerWithSideInputs: Layer {
  var sideArg: SideInputEffect<String>

  func callAsFunction(_ x: any Sendable) throws -> any Sendable {
    print("Got side input:", try sideArg.ask())
    return (x, try sideArg.ask())
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("sideArg", &sideArg)
  }
}
// end-snippet

@Suite("Guide: DataEffects.md")
struct DataEffectsGuideTests {
  func mlp() throws -> Sequential {
    let keys = try RandomKey(seed: 1).split(into: 4)
    return Sequential([
      try Linear(inFeatures: 64, outFeatures: 128, key: keys[0]), Elementwise(.relu),
      try Linear(inFeatures: 128, outFeatures: 128, key: keys[1]), Elementwise(.relu),
      try Linear(inFeatures: 128, outFeatures: 128, key: keys[2]), Elementwise(.relu),
      try Linear(inFeatures: 128, outFeatures: 64, key: keys[3]),
    ])
  }

  @Test func firstExample() throws {
    let mlp = try mlp()
    let x = try Tensor.ones([64])
    // snippet: data-effects-first-example
    let probed = try select(mlp).at(instancesOf: Elementwise.self).insert(after: TellIntermediate())
    let handled = try CollectingSideOutputs.handling(probed)
    let (y, intermediates) = try handled(x)
    for value in intermediates { print(value) }
    // SideOutputValue(keyPath: ".sublayers[2].side_out", tag: "intermediate", value: Float[128])
    // SideOutputValue(keyPath: ".sublayers[5].side_out", tag: "intermediate", value: Float[128])
    // SideOutputValue(keyPath: ".sublayers[8].side_out", tag: "intermediate", value: Float[128])
    // end-snippet
    #expect((y as? Tensor)?.shape == [64])
    #expect(intermediates.map(\.description) == [
      #"SideOutputValue(keyPath: ".sublayers[2].side_out", tag: "intermediate", value: Float[128])"#,
      #"SideOutputValue(keyPath: ".sublayers[5].side_out", tag: "intermediate", value: Float[128])"#,
      #"SideOutputValue(keyPath: ".sublayers[8].side_out", tag: "intermediate", value: Float[128])"#,
    ])
  }

  @Test func requestsMustBeHandled() throws {
    var message = ""
    // snippet: unhandled-request
    let layer = SimpleStochasticDropout(dropRate: 0.1)
    do {
      _ = try layer(try Tensor.ones([8]))
    } catch {
      print(error)
      // Effect method 'nextKey' was called on a non-handled effect request of type RandomRequest! ...
      message = "\(error)"
    }
    // end-snippet
    #expect(message.hasPrefix("Effect method 'nextKey' was called on a non-handled effect request of type RandomRequest!"))
  }

  @Test func handlersAndReferences() throws {
    // snippet: random-handler
    let keys = try RandomKey(seed: 42).split(into: 3)
    let effectfulModel = Sequential([
      try Linear(inFeatures: 8, outFeatures: 8, key: keys[0]), Elementwise(.relu),
      SimpleStochasticDropout(dropRate: 0.1),
      try Linear(inFeatures: 8, outFeatures: 8, key: keys[1]), Elementwise(.relu),
      SimpleStochasticDropout(dropRate: 0.1),
      try Linear(inFeatures: 8, outFeatures: 8, key: keys[2]),
    ])
    let handledModel = try WithRandomKeyFromArg.handling(effectfulModel)
    print(handledModel.handlerID)                   // WithRandomKeyFromArg_…, the same in every run
    let y = try handledModel((try Tensor.ones([8]), RandomKey(seed: 1)))
    // end-snippet
    #expect((y as? Tensor)?.shape == [8])
    #expect(handledModel.handlerID.hasPrefix("WithRandomKeyFromArg_"))
    #expect(freeEffectTypes(effectfulModel) == [.random])
    #expect(freeEffectTypes(handledModel).isEmpty)
    let dropout = try #require(handledModel.body.sublayers[2].base as? SimpleStochasticDropout)
    #expect(dropout.rng == .handled(handlerID: handledModel.handlerID))
    let again = try handledModel((try Tensor.ones([8]), RandomKey(seed: 1)))
    #expect(again as? Tensor == y as? Tensor)
  }

  @Test func sideInputs() throws {
    // snippet: side-inputs
    let unhandledExample = Sequential([
      MyLayerWithSideInputs(sideArg: .request("foo")),
      MyLayerWithSideInputs(sideArg: .request("bar")),
      MyLayerWithSideInputs(sideArg: .request("foo")),
    ])
    let handledExample = try WithSideInputsFromInputTuple.handling(unhandledExample, tags: ["foo", "bar"])
    print(try handledExample("main input", "value for foo", "value for bar"))
    // Got side input: value for foo
    // Got side input: value for bar
    // Got side input: value for foo
    // ((("main input", "value for foo"), "value for bar"), "value for foo")
    let handledExample2 = try WithConstantSideInputs.handling(
      unhandledExample, sideInputs: ["foo": "value for foo", "bar": "value for bar"])
    print(try handledExample2("main input"))
    // the same
    // end-snippet
    let expected = #"((("main input", "value for foo"), "value for bar"), "value for foo")"#
    #expect("\(try handledExample("main input", "value for foo", "value for bar"))" == expected)
    #expect("\(try handledExample2("main input"))" == expected)
  }

  @Test func sideOutputs() throws {
    let mlp = try mlp()
    // snippet: side-outputs
    let mlpWithSideOutputs = try select(mlp)
      .at(instancesOf: Elementwise.self)
      .insert(after: TellIntermediate(tag: "intermediate"))
    _ = try mlpWithSideOutputs(try Tensor.ones([64]))      // unhandled: tell does nothing
    let mlpWithSideOutputsHandled = try CollectingSideOutputs.handling(mlpWithSideOutputs, tag: "intermediate")
    let (_, sideOutputs) = try mlpWithSideOutputsHandled(try Tensor.ones([64]))
    print(sideOutputs.map(\.keyPath.path))
    // [".sublayers[2].side_out", ".sublayers[5].side_out", ".sublayers[8].side_out"]
    // end-snippet
    #expect(sideOutputs.map(\.keyPath.path) == [".sublayers[2].side_out", ".sublayers[5].side_out", ".sublayers[8].side_out"])
  }

  @Test func randomness() throws {
    let model = Sequential([try StochasticDropout(dropRate: 0.5)] as [any Layer])
    // snippet: randomness
    let x = try Tensor.ones([6])
    let fromArg = try WithRandomKeyFromArg.handling(model)
    let y1 = try fromArg((x, RandomKey(seed: 1)))            // keys: fold_in(key(1), 0), 1, ...
    let frozen = try WithFrozenRandomState.handling(model, randomKey: RandomKey(seed: 1))
    let y2 = try frozen(x)                                   // the same keys on every call
    // y1 and y2 are equal: both streams start at fold_in(key(1), 0)
    // end-snippet
    #expect(y1 as? Tensor == y2 as? Tensor)
    #expect(y1 as? Tensor == (try Dropout(rate: 0.5)(x, key: RandomKey(seed: 1).foldIn(0))))
  }

  @Test func localState() throws {
    // snippet: local-state
    let myTestModel = Sequential([
      ExampleLayerWithAState.fromConfig(category: "example_state"),
      ConstantRescale(by: 2),
      ExampleLayerWithAState.fromConfig(category: "example_state"),
    ])
    let (handledModel, initialStateDict) = try handleLocalStates(myTestModel, category: "example_state")
    print(initialStateDict)
    // State {
    //   StateKey("Sequential.sublayers[0]/ExampleLayerWithAState.accumulator"): 0.0
    //   StateKey("Sequential.sublayers[2]/ExampleLayerWithAState.accumulator"): 0.0
    // }
    let (output, newStateDict) = try handledModel((Float(10), initialStateDict))
    // output is 20.0; the accumulators hold 10.0 and 20.0
    // end-snippet
    #expect(output as? Float == 20)
    #expect(initialStateDict.description == """
      State {
        StateKey("Sequential.sublayers[0]/ExampleLayerWithAState.accumulator"): 0.0
        StateKey("Sequential.sublayers[2]/ExampleLayerWithAState.accumulator"): 0.0
      }
      """)
    #expect(newStateDict.description == """
      State {
        StateKey("Sequential.sublayers[0]/ExampleLayerWithAState.accumulator"): 10.0
        StateKey("Sequential.sublayers[2]/ExampleLayerWithAState.accumulator"): 20.0
      }
      """)
  }

  @Test func sharedState() throws {
    // snippet: shared-state
    let mySharedStateModel = Sequential([
      ExampleLayerWithAState(accumulator: .initial(category: "example_state", name: "shared") { 0 }),
      ExampleLayerWithAState(accumulator: .initial(category: "example_state") { 0 }),
      // Shared with the first state above:
      ExampleLayerWithAState(accumulator: .shared(SharedLocalStateRequest(name: "shared", category: "example_state"))),
    ])
    let (sharedHandled, sharedInitialState) = try handleLocalStates(
      mySharedStateModel, category: "example_state", stateSharing: .allowed)
    let (_, sharedState) = try sharedHandled((Float(10), sharedInitialState))
    // "shared" holds 20.0; "Sequential.sublayers[1]/ExampleLayerWithAState.accumulator" holds 10.0
    // end-snippet
    #expect(try sharedState.value(for: StateKey(name: "shared"), as: Float.self) == 20)
    #expect(try sharedState.value(for: StateKey(name: "Sequential.sublayers[1]/ExampleLayerWithAState.accumulator"), as: Float.self) == 10)
  }

  @Test func freezing() throws {
    let myTestModel = Sequential([ExampleLayerWithAState.fromConfig(), ConstantRescale(by: 2), ExampleLayerWithAState.fromConfig()])
    let (handledModel, initial) = try handleLocalStates(myTestModel, category: "example_state")
    let (_, newStateDict) = try handledModel((Float(10), initial))
    // snippet: freezing
    let frozenModel = try freezeLocalStates(handledModel, newStateDict)
    print(frozenModel.sublayers[0])
    // ExampleLayerWithAState(accumulator: FrozenLocalStateRequest(state: 10.0, category: "example_state", name: nil))
    let (rehandled, sameState) = try handleLocalStates(
      frozenModel, category: "example_state", handlerID: handledModel.handlerID)
    // rehandled and sameState equal handledModel and newStateDict
    // end-snippet
    #expect("\(frozenModel.sublayers[0])" == #"ExampleLayerWithAState(accumulator: FrozenLocalStateRequest(state: 10.0, category: "example_state", name: nil))"#)
    #expect(rehandled.handlerID == handledModel.handlerID)
    #expect(sameState.description == newStateDict.description)
  }
}
