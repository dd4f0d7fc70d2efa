import StateKeys
import Testing

/// Inox 0.8.0 on JAX 0.10.2 (CPU) ran the seed page's example, typos fixed: these are its
/// numbers. Keys and initializations are bit-exact; matrix products may sum in another order,
/// so results agree to 1e-6.
@Suite("Inox parity: the seed MLP gives Inox's numbers")
struct InoxParityTests {
  static let x: [Float] = [
    -0.15443718433380127, 0.08470727503299713, -0.135980486869812, -0.15503625571727753,
    1.266667366027832, 0.14829757809638977, 2.1415603160858154, 1.0026742219924927,
    -0.29033586382865906, 0.35834479331970215, -0.7079273462295532, -0.24555526673793793,
    0.8855825066566467, 0.7861191034317017, 0.888927161693573, 0.5493253469467163,
  ]

  @Test func theInputIsJAXsNormal() throws {
    #expect(try Tensor.normal([16], key: RandomKey(seed: 1)).isApproximatelyEqual(to: Tensor(Self.x), tolerance: 1e-6))
  }

  @Test func linearWeightsAreInoxsBitForBit() throws {
    let keys = try RandomKey(seed: 0).split(into: 3)
    let l1 = try Linear(inFeatures: 16, outFeatures: 64, key: keys[0])
    #expect(Array(l1.weight.scalars.prefix(4)) == [0.17115706205368042, -0.15881067514419556, -0.13641095161437988, -0.1896371841430664])
    #expect(l1.bias == (try Tensor.zeros([64])))
  }

  @Test func theMLPGivesInoxsOutputAndState() throws {
    let (model, state) = try exportState(MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0)))
    #expect(state.keys.map(\.path) == [".inStats.first", ".inStats.second", ".outStats.first", ".outStats.second"])
    let (y, newState) = try model(Tensor(Self.x), state)
    #expect(y.isApproximatelyEqual(to: Tensor([0.0613289475440979, 0.10471636056900024, -0.02196437679231167]), tolerance: 1e-6))
    #expect(try newState[model.outStats.first].isApproximatelyEqual(
      to: Tensor([0.006132894661277533, 0.010471636429429054, -0.002196437679231167]), tolerance: 1e-7))
    #expect(try newState[model.outStats.second].isApproximatelyEqual(
      to: Tensor([0.9003760814666748, 0.901096522808075, 0.9000481963157654]), tolerance: 1e-6))
    #expect(try newState[model.inStats.first].isApproximatelyEqual(to: 0.1 * Tensor(Self.x), tolerance: 1e-7))
    #expect(try state[model.inStats.first] == Tensor.zeros([16]))
  }

  @Test func batchNormGivesInoxsOutputAndStatistics() throws {
    let (norm, state) = try exportState(BatchNorm(channels: 3))
    let x = try Tensor(shape: [4, 3], scalars: (0..<12).map(Float.init))
    let (y, newState) = try norm(x, state)
    #expect(y.isApproximatelyEqual(to: try Tensor(shape: [4, 3], scalars: [
      -1.3416402339935303, -1.3416402339935303, -1.3416402339935303,
      -0.44721341133117676, -0.44721341133117676, -0.44721341133117676,
      0.44721341133117676, 0.44721341133117676, 0.44721341133117676,
      1.3416402339935303, 1.3416402339935303, 1.3416402339935303,
    ]), tolerance: 1e-6))
    #expect(try newState[norm.stats].mean.isApproximatelyEqual(to: Tensor([0.45, 0.55, 0.65]), tolerance: 1e-6))
    #expect(try newState[norm.stats].variance.isApproximatelyEqual(to: Tensor([2.025, 2.025, 2.025]), tolerance: 1e-6))
  }

  @Test func dropoutDropsInoxsElements() throws {
    let dropout = try Dropout(rate: 0.3)
    let y = try dropout(Tensor((1...10).map(Float.init)), key: RandomKey(seed: 7))
    #expect(y.isApproximatelyEqual(to: Tensor([
      1.4285714626312256, 0.0, 4.285714149475098, 5.714285850524902, 0.0,
      8.571428298950195, 10.0, 11.428571701049805, 12.85714340209961, 14.285715103149414,
    ]), tolerance: 1e-6))
  }
}
