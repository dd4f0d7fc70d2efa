import DataEffects
import ExplicitState
import Testing

/// Penzai's seed examples (a), (b) and (c), with the outputs Penzai 0.2.5 gave.
@Suite("Local state: Penzai's seed examples")
struct LocalStateSeedTests {
  static let first = "Sequential.sublayers[0]/ExampleLayerWithAState.accumulator"
  static let third = "Sequential.sublayers[2]/ExampleLayerWithAState.accumulator"

  func model() -> Sequential {
    Sequential([ExampleLayerWithAState.fromConfig(), ConstantRescale(by: 2), ExampleLayerWithAState.fromConfig()])
  }

  @Test func exampleA() throws {
    let (handled, initial) = try handleLocalStates(model(), category: "example_state")
    #expect(names(initial) == [Self.first, Self.third])
    #expect(try value(initial, Self.first) == 0 && value(initial, Self.third) == 0)
    guard let layer = handled.body.sublayers[0].base as? ExampleLayerWithAState,
      case .handled(let reference) = layer.accumulator
    else {
      Issue.record("sublayers[0] was not handled")
      return
    }
    #expect(reference.handlerID == handled.handlerID)
    #expect(reference.name == Self.first && !reference.wasExplicitlyNamed && reference.category == "example_state")
    #expect(handled.handlerID.hasPrefix("WithFunctionalLocalState_"))

    let (output, state) = try handled((Float(10), initial))
    #expect(output as? Float == 20)
    #expect(try value(state, Self.first) == 10 && value(state, Self.third) == 20)
    let (again, state2) = try handled((Float(10), state))
    #expect(again as? Float == 20)
    #expect(try value(state2, Self.first) == 20 && value(state2, Self.third) == 40)
    #expect(try value(state, Self.first) == 10)
  }

  @Test func lazyExplicitIDAndOtherCategories() throws {
    let (lazyHandled, makeState) = try handleLocalStatesLazily(model(), category: "example_state")
    #expect(names(try makeState()) == [Self.first, Self.third])
    #expect(try lazyHandled((Float(1), makeState())).0 as? Float == 2)
    let (explicit, _) = try handleLocalStates(model(), category: "example_state", handlerID: "my_explicit_id")
    #expect(explicit.handlerID == "my_explicit_id")
    let (other, otherState) = try handleLocalStates(model(), category: "other")
    #expect(otherState.isEmpty)
    #expect(freeEffectTypes(other) == [.localState])
    #expect(freeEffectTypes(explicit).isEmpty)
  }

  @Test func exampleBSharedState() throws {
    let shared = Sequential([
      ExampleLayerWithAState(accumulator: .initial(category: "example_state", name: "shared") { 0 }),
      ExampleLayerWithAState(accumulator: .initial(category: "example_state") { 0 }),
      ExampleLayerWithAState(accumulator: .shared(SharedLocalStateRequest(name: "shared", category: "example_state"))),
    ])
    let middle = "Sequential.sublayers[1]/ExampleLayerWithAState.accumulator"
    let (handled, initial) = try handleLocalStates(shared, category: "example_state", stateSharing: .allowed)
    #expect(names(initial) == ["shared", middle])
    let references = handled.body.sublayers.compactMap { ($0.base as? ExampleLayerWithAState)?.accumulator.handledReference }
    #expect(references.map(\.name) == ["shared", middle, "shared"])
    #expect(references.map(\.wasExplicitlyNamed) == [true, false, true])
    let (output, state) = try handled((Float(10), initial))
    #expect(output as? Float == 10)
    #expect(try value(state, "shared") == 20 && value(state, middle) == 10)

    #expect(throws: EffectError.sharedStateForbidden("shared")) {
      try handleLocalStates(shared, category: "example_state")
    }
  }

  @Test func exampleCFreezeAndRehandle() throws {
    let (handled, initial) = try handleLocalStates(model(), category: "example_state")
    let (_, state) = try handled((Float(10), initial))
    let frozen = try freezeLocalStates(handled, state)
    let layers = frozen.sublayers.map(\.base)
    guard let first = layers[0] as? ExampleLayerWithAState, case .frozen(let request) = first.accumulator else {
      Issue.record("sublayers[0] was not frozen")
      return
    }
    #expect(request.state == 10 && request.category == "example_state" && request.name == nil)
    #expect((layers[1] as? ConstantRescale)?.by == 2)
    #expect(freeEffectTypes(frozen) == [.localState])

    let (rehandled, restate) = try handleLocalStates(frozen, category: "example_state", handlerID: handled.handlerID)
    #expect(rehandled.handlerID == handled.handlerID)
    #expect(names(restate) == [Self.first, Self.third])
    #expect(try value(restate, Self.first) == 10 && value(restate, Self.third) == 20)
    #expect(allHandlerIDs(rehandled) == allHandlerIDs(handled))
  }
}

extension LocalStateEffect {
  /// The reference, once handled.
  var handledReference: HandledLocalStateRef? {
    if case .handled(let reference) = self { return reference }
    return nil
  }
}

@Suite("Dictionaries as bodies: LayerDictionary, as Penzai's tests use a dict")
struct LayerDictionaryTests {
  @Test func aDictionaryBodyIsNamedAsPenzaiNamesADict() throws {
    let body = LayerDictionary(["b": ExampleLayerWithAState.fromConfig(), "a": ExampleLayerWithAState.fromConfig()])
    let (handled, state) = try handleLocalStates(body, category: "example_state")
    #expect(state.keys.map(\.path) == ["['a']/ExampleLayerWithAState.accumulator", "['b']/ExampleLayerWithAState.accumulator"])
    let (outputs, after) = try handled((Float(2), state))
    #expect(outputs.keys.sorted() == ["a", "b"])
    #expect(outputs["a"] as? Float == 2)
    #expect(try after.value(for: StateKey(name: "['a']/ExampleLayerWithAState.accumulator"), as: Float.self) == 2)
    let frozen = try freezeLocalStates(handled, after)
    let (_, restate) = try handleLocalStates(frozen, category: "example_state")
    #expect(restate == after)
  }

  @Test func aLayerThatDoesNotTakeTheInputThrows() throws {
    let body = LayerDictionary(["a": ExampleLayerWithAState.fromConfig()])
    #expect(throws: LayerError.self) { try body("text") }
  }
}
