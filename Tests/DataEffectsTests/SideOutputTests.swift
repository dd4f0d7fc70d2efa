import DataEffects
import ExplicitState
import RandomKeys
import TensorLayers
import Testing

/// Tells `a: x`, `b: 2x`, `a: 3x`.
struct TwoChannelWriter: Layer {
  var a: SideOutputEffect<Float> = .request("a")
  var b: SideOutputEffect<Float> = .request("b")

  func callAsFunction(_ x: Float) throws -> Float {
    try a.tell(x)
    try b.tell(2 * x)
    try a.tell(3 * x)
    return x
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("a", &a)
    visitor.visit("b", &b)
  }
}

@Suite("Side outputs: Penzai's tutorial examples")
struct SideOutputTests {
  /// Penzai's `simple_mlp.MLP.from_config([64, 128, 128, 128, 64])`, with Linear for Affine.
  func mlp() throws -> Sequential {
    let keys = try RandomKey(seed: 1).split(into: 4)
    let widths = [64, 128, 128, 128, 64]
    var layers: [any Layer] = []
    for index in 0..<4 {
      layers.append(try Linear(inFeatures: widths[index], outFeatures: widths[index + 1], key: keys[index]))
      if index < 3 { layers.append(Elementwise(.relu)) }
    }
    return Sequential(layers)
  }

  @Test func probesAfterEveryActivation() throws {
    let probed = try select(mlp()).at(instancesOf: Elementwise.self).insert(after: TellIntermediate(tag: "intermediate"))
    #expect(probed.sublayers.count == 10)
    let x = try Tensor.ones([64])
    #expect(try (probed(x) as? Tensor)?.shape == [64])
    let handled = try CollectingSideOutputs.handling(probed, tag: "intermediate")
    #expect(handled.handlerID.hasPrefix("CollectingSideOutputs_"))
    let (y, outputs) = try handled(x)
    #expect((y as? Tensor)?.shape == [64])
    #expect(outputs.map(\.keyPath.path) == [".sublayers[2].side_out", ".sublayers[5].side_out", ".sublayers[8].side_out"])
    #expect(outputs.map(\.tag) == ["intermediate", "intermediate", "intermediate"])
    #expect(outputs.compactMap { ($0.value as? Tensor)?.shape } == [[128], [128], [128]])
    #expect(outputs[0].description == #"SideOutputValue(keyPath: ".sublayers[2].side_out", tag: "intermediate", value: Float[128])"#)
  }

  @Test func tagsOrderAndNesting() throws {
    let model = Sequential([TwoChannelWriter(), Identity(), TwoChannelWriter()])
    let all = try CollectingSideOutputs.handling(model)(Float(1)).1
    #expect(all.map { "\($0.keyPath.path) \($0.tag) \($0.value)" } == [
      ".sublayers[0].a a 1.0", ".sublayers[0].b b 2.0", ".sublayers[0].a a 3.0",
      ".sublayers[2].a a 1.0", ".sublayers[2].b b 2.0", ".sublayers[2].a a 3.0",
    ])
    let onlyB = try CollectingSideOutputs.handling(model, tag: "b")(Float(1)).1
    #expect(onlyB.map(\.tag) == ["b", "b"])
    let inner = try CollectingSideOutputs.handling(Sequential([TwoChannelWriter()]), tag: "a")
    let outer = try CollectingSideOutputs.handling(Sequential([inner]), tag: "b")
    let ((_, innerValues), outerValues) = try outerCall(outer)
    #expect(innerValues.map(\.keyPath.path) == [".sublayers[0].a", ".sublayers[0].a"])
    #expect(outerValues.map(\.keyPath.path) == [".sublayers[0].body.sublayers[0].b"])
    #expect(throws: EffectError.self) { try CollectingSideOutputs.handling(model, tag: "a", tagPredicate: { _ in true }) }
  }

  private func outerCall(_ outer: CollectingSideOutputs<Sequential>) throws -> ((Float, [SideOutputValue]), [SideOutputValue]) {
    let (y, values) = try outer(Float(2))
    let inner = try #require(y as? (any Sendable, [SideOutputValue]))
    return ((try #require(inner.0 as? Float), inner.1), values)
  }

  @Test func anUnhandledTellDoesNothing() throws {
    #expect(try TwoChannelWriter()(5) == 5)
  }
}
