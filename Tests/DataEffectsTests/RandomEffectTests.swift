import DataEffects
import ExplicitState
import RandomKeys
import TensorLayers
import Testing

@Suite("Random: one stream per handler call, JAX's keys")
struct RandomEffectTests {
  /// `fold_in(key(0), 0...2)` as JAX 0.10.2 computed them (the golden file's stream keys).
  let goldenStreamKeys: [[UInt32]] = [[1_797_259_609, 2_579_123_966], [928_981_903, 3_453_687_069], [4_146_024_105, 2_718_843_009]]

  func recorders() -> Sequential { Sequential([KeyRecorder(), KeyRecorder(), KeyRecorder()]) }

  func keys(_ values: [SideOutputValue]) -> [[UInt32]] {
    values.compactMap { ($0.value as? RandomKey)?.keyData }
  }

  @Test func keysFromTheArgumentAreJAXsStreamKeys() throws {
    let handled = try WithRandomKeyFromArg.handling(CollectingSideOutputs.handling(recorders(), tag: "keys"))
    let (_, told) = try handled((Float(1), RandomKey(seed: 0)))
    #expect(keys(told) == goldenStreamKeys)
    let (_, again) = try handled((Float(1), RandomKey(seed: 0)))
    #expect(keys(again) == goldenStreamKeys)
  }

  @Test func frozenStateGivesTheSameKeysEveryCall() throws {
    let frozen = try WithFrozenRandomState.handling(
      CollectingSideOutputs.handling(recorders(), tag: "keys"), randomKey: RandomKey(seed: 0))
    #expect(keys(try frozen(Float(1)).1) == goldenStreamKeys)
    #expect(keys(try frozen(Float(1)).1) == goldenStreamKeys)
    let offset = try WithFrozenRandomState.handling(
      CollectingSideOutputs.handling(recorders(), tag: "keys"), randomKey: RandomKey(seed: 0), startingOffset: 1)
    #expect(keys(try offset(Float(1)).1).first == goldenStreamKeys[1])
  }

  @Test func statefulKeysLiveInLocalState() throws {
    let body = Sequential([ExampleLayerWithAState.fromConfig(), KeyRecorder()])
    let stateful = try WithStatefulRandomKey.handling(CollectingSideOutputs.handling(body, tag: "keys"), initialKey: RandomKey(seed: 0))
    let (handled, initial) = try handleLocalStates(stateful, categoryPredicate: { _ in true })
    #expect(names(initial) == [
      "WithStatefulRandomKey.body/CollectingSideOutputs.body/Sequential.sublayers[0]/ExampleLayerWithAState.accumulator",
      "WithStatefulRandomKey.random_state",
    ])
    let ((_, told), state) = try handled((Float(1), initial))
    let (bodyKey, nextKey) = RandomKey(seed: 0).split()
    #expect(keys(told) == [bodyKey.foldIn(0).keyData])
    #expect(try state.value(for: StateKey(name: "WithStatefulRandomKey.random_state"), as: RandomKey.self) == nextKey)
    let ((_, second), _) = try handled((Float(1), state))
    #expect(keys(second) == [nextKey.split().0.foldIn(0).keyData])
  }

  @Test func taggedRequestsAreSkippedUnlessAsked() throws {
    var tagged = KeyRecorder()
    tagged.random = .tagged("noise")
    let model = Sequential([tagged])
    let untaggedOnly = try WithRandomKeyFromArg.handling(model)
    #expect(freeEffectTypes(untaggedOnly) == [.random, .sideOutput])
    let all = try WithRandomKeyFromArg.handling(model, holePredicate: { _ in true })
    #expect(freeEffectTypes(all) == [.sideOutput])
  }

  @Test func stochasticDropoutDrawsTheStreamsFirstKey() throws {
    let x = try Tensor.ones([20])
    let handled = try WithRandomKeyFromArg.handling(Sequential([StochasticDropout(dropRate: 0.3)]))
    let y = try #require(try handled((x, RandomKey(seed: 4))) as? Tensor)
    #expect(y == (try Dropout(rate: 0.3)(x, key: RandomKey(seed: 4).foldIn(0))))
    #expect(throws: TensorError.invalidRate(1.5)) { try StochasticDropout(dropRate: 1.5) }
  }

  @Test func unhandledAndBrokenRandomRequestsThrow() throws {
    #expect(throws: EffectError.unhandledRequest(method: "nextKey", requestType: "RandomRequest")) {
      try RandomEffect.request.nextKey()
    }
    #expect(EffectError.unhandledRequest(method: "nextKey", requestType: "RandomRequest").description.hasPrefix(
      "Effect method 'nextKey' was called on a non-handled effect request of type RandomRequest!"))
    let handled = try WithRandomKeyFromArg.handling(recorders())
    let extracted = try #require(handled.body.sublayers[0].base as? KeyRecorder)
    do {
      _ = try extracted.random.nextKey()
      Issue.record("a broken reference gave a key")
    } catch {
      #expect("\(error)".hasPrefix("Effect method 'nextKey' was called on an unbound effect reference HandledRandomRef(handlerID: \"\(handled.handlerID)\")!"))
    }
    #expect(brokenHandlerRefs(extracted) == ["HandledRandomRef(handlerID: \"\(handled.handlerID)\")"])
  }
}

@Suite("Composition: every effect under nested handlers")
struct EffectCompositionTests {
  @Test func threeHandlersAsInPenzai() throws {
    let multi = Sequential([ExampleLayerWithAState.fromConfig(), TellIntermediate(), MyLayerWithSideInputs("foo")])
    let (handled, initial) = try handleLocalStates(
      WithSideInputsFromInputTuple.handling(CollectingSideOutputs.handling(multi), tags: ["foo"]), category: "example_state")
    #expect(names(initial) == ["WithSideInputsFromInputTuple.body/CollectingSideOutputs.body/Sequential.sublayers[0]/ExampleLayerWithAState.accumulator"])
    let ((result, sideOutputs), state) = try handled(((Float(100), ["value for foo"]), initial))
    #expect("\(result)" == #"(100.0, "value for foo")"#)
    #expect(sideOutputs.map { "\($0.keyPath.path) \($0.tag) \($0.value)" } == [".sublayers[1].side_out intermediate 100.0"])
    #expect(try value(state, names(initial)[0]) == 100)
  }

  @Test func handlersComposeInEitherOrder() throws {
    let model = Sequential([ExampleLayerWithAState.fromConfig(), KeyRecorder()])
    let (stateOutside, s1) = try handleLocalStates(WithRandomKeyFromArg.handling(CollectingSideOutputs.handling(model)), category: "example_state")
    let ((_, told1), after1) = try stateOutside(((Float(2), RandomKey(seed: 0)), s1))
    let (stateInside, s2) = try handleLocalStates(CollectingSideOutputs.handling(model), category: "example_state")
    let randomOutside = try WithRandomKeyFromArg.handling(stateInside)
    let ((_, told2), after2) = try randomOutside(((Float(2), s2), RandomKey(seed: 0)))
    #expect(told1.map { ($0.value as? RandomKey) } == told2.map { ($0.value as? RandomKey) })
    #expect(try value(after1, names(s1)[0]) == 2 && value(after2, names(s2)[0]) == 2)
    #expect(names(s1)[0].hasPrefix("WithRandomKeyFromArg.body/CollectingSideOutputs.body/Sequential.sublayers[0]"))
  }
}

/// Records the path of every node a walk reaches.
struct PathRecorder: StateVisitor {
  var components: [PathComponent] = []
  var paths: [String] = []
  mutating func enter(_ component: PathComponent) {
    components.append(component)
    paths.append(components.map(\.description).joined())
  }
  mutating func exit() { components.removeLast() }
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {}
}

@Suite("Names: built-in layers and handlers name their children as Penzai does")
struct PenzaiNameTests {
  @Test func builtInChildrenHavePenzaisNames() throws {
    var recorder = PathRecorder()
    var model = Sequential([
      AnyLayer(Residual(ExampleLayerWithAState.fromConfig())), AnyLayer(try StochasticDropout(dropRate: 0.5)),
      AnyLayer(TellIntermediate(tag: "t")),
    ])
    recorder.visitNode(&model)
    #expect(recorder.paths.contains(".sublayers[0].delta.accumulator"))
    #expect(recorder.paths.contains(".sublayers[1].rng"))
    #expect(recorder.paths.contains(".sublayers[2].side_out"))
  }

  @Test func localStateNamesPassThroughResidualAsDelta() throws {
    let (_, state) = try handleLocalStates(Residual(ExampleLayerWithAState.fromConfig()), categoryPredicate: { _ in true })
    #expect(state.keys.map(\.path) == ["Residual.delta/ExampleLayerWithAState.accumulator"])
  }
}

@Suite("Training mode reaches layers held as AnyLayer")
struct StochasticDropoutModeTests {
  @Test func setTrainingModeReachesStochasticDropoutInASequential() throws {
    var model = Sequential([AnyLayer(try StochasticDropout(dropRate: 0.5)), AnyLayer(try StochasticDropout(dropRate: 0.1))])
    model.setTrainingMode(false)
    let modes = model.sublayers.compactMap { ($0.base as? StochasticDropout)?.isTraining }
    #expect(modes == [false, false])
  }
}
