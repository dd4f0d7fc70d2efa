import DataEffects
import ExplicitState
import Testing

@Suite("Side inputs: Penzai's tutorial examples")
struct SideInputTests {
  let unhandled = Sequential([MyLayerWithSideInputs("foo"), MyLayerWithSideInputs("bar"), MyLayerWithSideInputs("foo")])
  let expected = #"((("main input", "value for foo"), "value for bar"), "value for foo")"#

  @Test func fromTheInputTuple() throws {
    let handled = try WithSideInputsFromInputTuple.handling(unhandled, tags: ["foo", "bar"])
    #expect(handled.handlerID.hasPrefix("WithSideInputsFromInputTuple_"))
    #expect(handled.sideInputTags == ["foo", "bar"])
    #expect("\(try handled("main input", "value for foo", "value for bar"))" == expected)
    #expect("\(try handled(("main input", ["value for foo", "value for bar"])))" == expected)
    #expect(throws: LayerError.self) { try handled("main input", "value for foo") }
    #expect(throws: LayerError.self) { try handled("main input", 1, "value for bar") }
  }

  @Test func fromConstants() throws {
    let handled = try WithConstantSideInputs.handling(unhandled, sideInputs: ["foo": "value for foo", "bar": "value for bar"])
    #expect(handled.handlerID.hasPrefix("WithConstantSideInputs_"))
    #expect("\(try handled("main input"))" == expected)
    let tuple = try WithSideInputsFromInputTuple.handling(unhandled, tags: ["foo", "bar"])
    #expect(handled.handlerID.dropFirst("WithConstantSideInputs_".count) == tuple.handlerID.dropFirst("WithSideInputsFromInputTuple_".count))
    let kept = try WithConstantSideInputs.handling(unhandled, sideInputs: ["foo": 1, "bar": 2, "unused": 3], keepUnused: true)
    #expect(kept.sideInputs.keys.sorted() == ["bar", "foo", "unused"])
    let dropped = try WithConstantSideInputs.handling(unhandled, sideInputs: ["foo": 1, "bar": 2, "unused": 3])
    #expect(dropped.sideInputs.keys.sorted() == ["bar", "foo"])
  }

  @Test func nestingAndPartialHandling() throws {
    let pair = Sequential([MyLayerWithSideInputs("foo"), MyLayerWithSideInputs("bar")])
    let inner = try WithConstantSideInputs.handling(pair, sideInputs: ["foo": "value_for_foo"])
    let outer = try WithSideInputsFromInputTuple.handling(inner, tags: ["bar"])
    #expect("\(try outer("input", "value_for_bar"))" == #"(("input", "value_for_foo"), "value_for_bar")"#)
    let partial = try WithSideInputsFromInputTuple.handling(pair, tags: ["foo"])
    let second = try #require(partial.body.sublayers[1].base as? MyLayerWithSideInputs)
    #expect(second.sideArg.unhandledRequestType == "SideInputRequest" && second.sideArg.tag == "bar")
    #expect(freeEffectTypes(partial) == [.sideInput])
  }

  @Test func theInnermostHandlerWins() throws {
    let inner = try WithConstantSideInputs.handling(Sequential([MyLayerWithSideInputs("foo")]), sideInputs: ["foo": "from inner handler"])
    let outer = try WithConstantSideInputs.handling(inner, sideInputs: ["foo": "from outer handler"])
    #expect("\(try outer(100))" == #"(100, "from inner handler")"#)
    #expect(outer.sideInputs.isEmpty)
  }

  @Test func hoistingConstantSideInputs() throws {
    let handled = try WithConstantSideInputs.handling(unhandled, sideInputs: ["foo": "value for foo", "bar": "value for bar"])
    let (hoisted, values) = try hoistConstantSideInputs(handled)
    #expect(Set(values.keys) == [.hoisted(source: "", tag: "foo"), .hoisted(source: "", tag: "bar")])
    #expect(values[.hoisted(source: "", tag: "foo")] as? String == "value for foo")
    let first = try #require(hoisted.body.sublayers[0].base as? MyLayerWithSideInputs)
    #expect(first.sideArg.structureDescription == #"SideInputRequest(tag: HoistedTag(source: "", tag: "foo"))"#)
    #expect(hoisted.sideInputs.isEmpty)
    let rehandled = try WithConstantSideInputs.handling(hoisted, sideInputs: values)
    #expect("\(try rehandled("main input"))" == expected)
    let (unscoped, plain) = try hoistConstantSideInputs(handled, scoped: false)
    #expect(Set(plain.keys) == ["foo", "bar"])
    #expect(freeEffectTypes(unscoped) == [.sideInput])
    let (partly, some) = try hoistConstantSideInputs(handled, hoistPredicate: { tag, _ in tag == "foo" })
    #expect(some.count == 1 && partly.sideInputs.keys.sorted() == ["bar"])
  }

  @Test func unhandledAndBrokenRequestsThrow() throws {
    #expect(throws: EffectError.unhandledRequest(method: "ask", requestType: "SideInputRequest")) {
      try MyLayerWithSideInputs("foo")(1)
    }
    let handled = try WithConstantSideInputs.handling(unhandled, sideInputs: ["foo": "x", "bar": "y"])
    let extracted = try #require(handled.body.sublayers[0].base as? MyLayerWithSideInputs)
    #expect(throws: EffectError.self) { try extracted(1) }
    #expect(brokenHandlerRefs(extracted).count == 1)
  }
}

/// A layer reached through an enum case, the way `visit(unnamed:)` shows it to visitors.
enum EitherLayer: Layer {
  case side(MyLayerWithSideInputs)
  case stateful(ExampleLayerWithAState)

  func callAsFunction(_ x: any Sendable) throws -> any Sendable {
    switch self {
    case .side(let layer): return try layer(x)
    case .stateful(let layer): return try layer(x as? Float ?? 0)
    }
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    switch self {
    case .side(var layer):
      visitor.visit(unnamed: &layer)
      self = .side(layer)
    case .stateful(var layer):
      visitor.visit(unnamed: &layer)
      self = .stateful(layer)
    }
  }
}

/// The same, reaching its payload by calling `visitChildren` directly: the node is hidden.
enum HiddenLayer: Layer {
  case stateful(ExampleLayerWithAState)

  func callAsFunction(_ x: Float) throws -> Float {
    guard case .stateful(let layer) = self else { return x }
    return try layer(x)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    guard case .stateful(var layer) = self else { return }
    layer.visitChildren(&visitor)
    self = .stateful(layer)
  }
}

@Suite("Children behind an enum: visit(unnamed:) keeps Penzai's names and hoisting")
struct EnumChildTests {
  @Test func penzaiNamesGiveThePayloadsType() throws {
    let (_, state) = try handleLocalStates(Sequential([EitherLayer.stateful(ExampleLayerWithAState.fromConfig())]), categoryPredicate: { _ in true })
    #expect(state.keys.map(\.path) == ["Sequential.sublayers[0]/ExampleLayerWithAState.accumulator"])
    // Calling visitChildren directly hides the payload: the enum is named as the owner.
    let (_, hidden) = try handleLocalStates(Sequential([HiddenLayer.stateful(ExampleLayerWithAState.fromConfig())]), categoryPredicate: { _ in true })
    #expect(hidden.keys.map(\.path) == ["Sequential.sublayers[0]/HiddenLayer.accumulator"])
  }

  @Test func hoistingReachesHandlersBehindAnEnum() throws {
    let handled = try WithConstantSideInputs.handling(Sequential([MyLayerWithSideInputs("foo")]), sideInputs: ["foo": "value for foo"])
    let (hoisted, values) = try hoistConstantSideInputs(Sequential([HandlerBox.handler(handled)]))
    #expect(values.keys.map(\.description) == [#"HoistedTag(source: "Sequential.sublayers[0]", tag: "foo")"#])
    guard case .handler(let inner) = try #require(hoisted.sublayers[0].base as? HandlerBox) else { return }
    #expect(inner.sideInputs.isEmpty)
    // Calling visitChildren directly hides the handler from the walk.
    let (_, missed) = try hoistConstantSideInputs(Sequential([HiddenHandlerBox.handler(handled)]))
    #expect(missed.isEmpty)
  }
}

/// A handler reached through an enum case with `visit(unnamed:)`.
enum HandlerBox: Layer {
  case handler(WithConstantSideInputs<Sequential>)

  func callAsFunction(_ x: any Sendable) throws -> any Sendable {
    guard case .handler(let handler) = self else { return x }
    return try handler(x)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    guard case .handler(var handler) = self else { return }
    visitor.visit(unnamed: &handler)
    self = .handler(handler)
  }
}

/// The same, calling the handler's `visitChildren` directly.
enum HiddenHandlerBox: Layer {
  case handler(WithConstantSideInputs<Sequential>)

  func callAsFunction(_ x: any Sendable) throws -> any Sendable {
    guard case .handler(let handler) = self else { return x }
    return try handler(x)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    guard case .handler(var handler) = self else { return }
    handler.visitChildren(&visitor)
    self = .handler(handler)
  }

}
