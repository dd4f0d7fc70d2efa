import DataEffects
import ExplicitState
import TensorLayers
import Testing

@Suite("Selection: Penzai's pz.select")
struct SelectionTests {
  let mlp = Sequential([
    Elementwise(.relu), ConstantRescale(by: 2), Elementwise(.tanh),
    Sequential([Elementwise(.relu), Identity()]),
  ])

  func typeNames(_ sequential: Sequential) -> [String] {
    sequential.sublayers.map { baseName($0.base) }
  }

  func baseName(_ value: Any) -> String {
    String(String(describing: type(of: value)).prefix { $0 != "<" })
  }

  @Test func insertingAfterEveryInstanceIsOneExpression() throws {
    let probed = try select(mlp).at(instancesOf: Elementwise.self).insert(after: Identity())
    #expect(typeNames(probed) == ["Elementwise", "Identity", "ConstantRescale", "Elementwise", "Identity", "Sequential"])
    let inner = try #require(probed.sublayers[5].base as? Sequential)
    #expect(typeNames(inner) == ["Elementwise", "Identity", "Identity"])
  }

  @Test func insertingBeforeAndRemoving() throws {
    let before = try select(mlp).at(instancesOf: ConstantRescale.self).insert(before: Identity())
    #expect(typeNames(before) == ["Elementwise", "Identity", "ConstantRescale", "Elementwise", "Sequential"])
    let removed = try select(mlp).at(instancesOf: Elementwise.self).remove()
    #expect(typeNames(removed) == ["ConstantRescale", "Sequential"])
    #expect(typeNames(try #require(removed.sublayers[1].base as? Sequential)) == ["Identity"])
  }

  @Test func settingAndApplying() throws {
    #expect(select(mlp).at(instancesOf: Elementwise.self).count == 3)
    let tanh = try select(mlp).at(instancesOf: Elementwise.self).set(to: Elementwise(.tanh))
    #expect(select(tanh).at(where: { ($0 as? Elementwise)?.activation == .tanh }).count == 3)
    let doubled = try select(mlp).at(instancesOf: ConstantRescale.self).apply { (layer: ConstantRescale) in
      ConstantRescale(by: layer.by * 2)
    }
    #expect((doubled.sublayers[1].base as? ConstantRescale)?.by == 4)
    let swapped = try select(mlp).at(instancesOf: ConstantRescale.self).set(to: Identity())
    #expect(typeNames(swapped) == ["Elementwise", "Identity", "Elementwise", "Sequential"])
    #expect(try select(mlp).set(to: Sequential([Identity()])).sublayers.count == 1)
  }

  @Test func editsOutsideASequentialAreRefused() throws {
    let residual = Residual(Elementwise(.relu))
    #expect(throws: EffectError.self) { try select(residual).at(instancesOf: Elementwise.self).insert(after: Identity()) }
    do {
      _ = try select(residual).at(instancesOf: Elementwise.self).remove()
    } catch {
      #expect("\(error)".contains("at '.delta' is not an element of a Sequential"))
    }
    #expect(throws: EffectError.self) { try select(mlp).at(instancesOf: Identity.self).set(to: 3) }
  }

  @Test func layersRunAfterEditing() throws {
    let model = Sequential([ConstantRescale(by: 2), ConstantRescale(by: 3)])
    let edited = try select(model).at(where: { ($0 as? ConstantRescale)?.by == 3 }).set(to: ConstantRescale(by: 5))
    #expect(try edited(Float(1)) as? Float == 10)
    #expect(try Residual(ConstantRescale(by: 2))(Float(1)) as? Float == 3)
    #expect(throws: LayerError.inputTypeMismatch(layer: "Elementwise", expected: "Tensor", found: "String")) {
      try Sequential([Elementwise(.relu)])("text")
    }
  }
}
