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
