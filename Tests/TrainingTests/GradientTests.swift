import DataEffects
import ExplicitState
import RandomKeys
import TensorLayers
import TestSupport
import Testing
import Training
import _Differentiation

/// Two uses of one parameter: an embedding that encodes and, transposed, decodes, as Penzai's
/// Gemma shares its embedding table between input and output.
struct TiedAutoencoder: Differentiable, StateVisitable {
  var table: Tensor

  @differentiable(reverse)
  func forward(_ x: Tensor) -> Tensor { x.matrixProduct(with: table).matrixProduct(with: table.transposed()) }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) { visitor.visitParameter("table", &table) }
}

@Suite("valueWithGradient: loss, parameter gradients and new state in one call")
struct GradientTests {
  let x = try! Tensor(shape: [4, 64], scalars: (0..<256).map { Float($0 % 17) / 17 - 0.5 })
  let labels = [0, 3, 9, 3]

  @Test func theGradientIsKeyedByTheParametersPathsAndTheStateIsTheNewOne() throws {
    let (model, state) = try exportState(InoxMLP(key: RandomKey(seed: 0)))
    let (loss, gradient, newState) = try valueWithGradient(at: model, state) { model, state in
      model.loss(x, labels, state)
    }
    #expect(gradient.keys == (try exportParameters(model)).keys)
    #expect(newState.keys == state.keys)
    #expect(newState != state)
    // The same loss and state as the throwing, non-differentiable path.
    let (logits, throwingState) = try withDeferredErrors { model.forward(x, state).unpacked }
    #expect(throwingState == newState)
    #expect(abs(loss - softmaxCrossEntropy(logits: logits, labels: labels).mean()) < 1e-6)
  }

  @Test func stateGetsNoGradient() throws {
    // A model's tangent has no component for its entries: the layers that hold only state
    // have empty tangents, and so does a State.
    #expect(MemoryLayout<Moments.TangentVector>.size == 0)
    #expect(MemoryLayout<BatchNorm.TangentVector>.size == 0)
    #expect(MemoryLayout<State.TangentVector>.size == 0)
    let (model, state) = try exportState(InoxMLP(key: RandomKey(seed: 0)))
    let (_, gradient, _) = try valueWithGradient(at: model, state) { model, state in model.loss(x, labels, state) }
    for key in state.keys { #expect(!gradient.contains(key)) }
  }

  @Test func batchStatisticsReachTheRunningStatisticsWithoutAGradient() throws {
    // The gradient with respect to x of a training BatchNorm is the same whatever the running
    // statistics hold: they are written from the batch's, and read by nothing differentiated.
    let (norm, state) = try exportState(BatchNorm(channels: 64))
    let moved = try updateState(state, [norm.stats: BatchNorm.Statistics(mean: .ones([64]), variance: Tensor(repeating: 4, shape: [64]))])
    let weights = x.squared()
    let first = gradient(at: x) { x in norm.forward(x, state).value.multiplied(by: weights).sum() }
    let second = gradient(at: x) { x in norm.forward(x, moved).value.multiplied(by: weights).sum() }
    #expect(first == second)
    let newState = try withDeferredErrors { norm.forward(x, state).state }
    #expect(try newState[norm.stats].mean.isApproximatelyEqual(to: 0.1 * x.mean(alongAxis: 0)))
  }

  @Test func aSharedParameterGetsTheSumOfItsUsesGradients() throws {
    let model = TiedAutoencoder(table: try .normal([64, 8], key: RandomKey(seed: 3)))
    let (_, gradient, _) = try valueWithGradient(at: model, State()) { model, state in
      Stateful(model.forward(x).squared().mean(), state: state)
    }
    // Each use's gradient with the other held fixed.
    let table = model.table
    let asEncoder = _Differentiation.gradient(at: table) { t in x.matrixProduct(with: t).matrixProduct(with: table.transposed()).squared().mean() }
    let asDecoder = _Differentiation.gradient(at: table) { t in x.matrixProduct(with: table).matrixProduct(with: t.transposed()).squared().mean() }
    let expected = try #require((asEncoder + asDecoder).tensor)
    let actual = try gradient.value(for: StateKey(parsing: ".table"), as: Tensor.self)
    #expect(actual.isApproximatelyEqual(to: expected, tolerance: 1e-6))
    #expect(!actual.isApproximatelyEqual(to: try #require(asEncoder.tensor), tolerance: 1e-3))
  }

  @Test func badShapesAndLabelsAreThrownAsTypedErrorsBeforeAnyGradient() throws {
    let (model, state) = try exportState(InoxMLP(key: RandomKey(seed: 0)))
    // The first error is thrown: the input moments see the narrow batch before `l1` does.
    let narrow = try Tensor.zeros([4, 63])
    #expect(throws: TensorError.incompatibleShapes(operation: "combine(_:_:with:_:)", [64], [63])) {
      try valueWithGradient(at: model, state) { model, state in model.loss(narrow, labels, state) }
    }
    #expect(throws: TensorError.incompatibleShapes(operation: "matmul", [4, 63], [64, 64])) {
      try withDeferredErrors { model.l1.forward(narrow) }
    }
    #expect(throws: TensorError.invalidLabel(index: 2, label: 10, classes: 10)) {
      try valueWithGradient(at: model, state) { model, state in model.loss(x, [0, 1, 10, 2], state) }
    }
    #expect(throws: TensorError.incompatibleShapes(operation: "softmaxCrossEntropy", [4, 10], [3])) {
      try valueWithGradient(at: model, state) { model, state in model.loss(x, [0, 1, 2], state) }
    }
    let vector = try Tensor.zeros([64])
    #expect(throws: TensorError.notBatched(layer: "BatchNorm", shape: [64])) {
      try withDeferredErrors { model.norm.forward(vector, state) }
    }
    // A state without the model's entries: the first missing key is named.
    let error = try #require(throws: StateError.self) {
      try valueWithGradient(at: model, State()) { model, state in model.loss(x, labels, state) }
    }
    #expect(error.description.contains("in_stats"))
    #expect(!isDeferringErrors)
  }

  @Test func aParameterThatIsNotATensorIsRefused() throws {
    struct Scaled: Differentiable, StateVisitable {
      var scale: Float
      mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) { visitor.visitParameter("scale", &scale) }
    }
    #expect(throws: TrainingError.self) {
      try valueWithGradient(at: Scaled(scale: 2), State()) { model, state in Stateful(model.scale * model.scale, state: state) }
    }
  }

  @Test func outsideAnyScopeAFailedOperationReturnsAnEmptyTensorAndReportsOnStandardError() {
    #expect(!isDeferringErrors)
    let sum = Tensor([1, 2]).adding(Tensor([1, 2, 3]))
    #expect(sum.shape == [0])
  }

}

/// The layers of a `Chain`, written out as a struct.
struct WrittenOut: Differentiable, StateVisitable {
  var l1: Linear
  var norm: BatchNorm
  var l2: Linear

  @differentiable(reverse)
  func forward(_ x: Tensor, _ state: State) -> Stateful<Tensor> {
    let normalized = norm.forward(relu(l1.forward(x)), state)
    return Stateful(l2.forward(normalized.value), state: normalized.state)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("l1", &l1)
    visitor.visit("norm", &norm)
    visitor.visit("l2", &l2)
  }
}

@Suite("Chain: the typed composition differentiates as the layers written out")
struct ChainTests {
  @Test func aChainHasTheGradientOfItsLayersWrittenOut() throws {
    let keys = try RandomKey(seed: 5).split(into: 3)
    let (l1, l2) = (try Linear(inFeatures: 8, outFeatures: 6, key: keys[0]), try Linear(inFeatures: 6, outFeatures: 3, key: keys[1]))
    let norm = try BatchNorm(channels: 6)
    let x = try Tensor.normal([5, 8], key: keys[2])
    let labels = [0, 2, 1, 1, 0]

    let (chain, chainState) = try exportState(Chain(l1, Chain(ReLU(), Chain(norm, l2))))
    let (chained, chainGradient, chainNewState) = try valueWithGradient(at: chain, chainState) { model, state in
      let output = model.forward(x, state)
      return Stateful(softmaxCrossEntropy(logits: output.value, labels: labels).mean(), state: output.state)
    }
    let (written, writtenState) = try exportState(WrittenOut(l1: l1, norm: norm, l2: l2))
    let (value, gradient, newState) = try valueWithGradient(at: written, writtenState) { model, state in
      let output = model.forward(x, state)
      return Stateful(softmaxCrossEntropy(logits: output.value, labels: labels).mean(), state: output.state)
    }
    #expect(chained == value)
    #expect(chainGradient.keys.map(\.path) == [".first.weight", ".first.bias", ".second.second.second.weight", ".second.second.second.bias"])
    for (chainPath, path) in [(".first.weight", ".l1.weight"), (".second.second.second.bias", ".l2.bias")] {
      #expect(try chainGradient.value(for: StateKey(parsing: chainPath), as: Tensor.self) == gradient.value(for: StateKey(parsing: path), as: Tensor.self))
    }
    #expect(try chainNewState.value(for: StateKey(parsing: ".second.second.first.stats"), as: BatchNorm.Statistics.self)
      == newState.value(for: StateKey(parsing: ".norm.stats"), as: BatchNorm.Statistics.self))
  }
}

@Suite("ResidualBlock: x + body(x), differentiated")
struct ResidualBlockTests {
  @Test func theGradientIsTheBodysPlusTheIdentity() throws {
    let layer = try Linear(inFeatures: 4, outFeatures: 4, key: RandomKey(seed: 8))
    let x = try Tensor.normal([3, 4], key: RandomKey(seed: 9))
    let block = ResidualBlock(Chain(layer, ReLU()))
    let (exported, state) = try exportState(block)
    #expect(try exportParameters(exported).keys.map(\.path) == [".delta.first.weight", ".delta.first.bias"])
    let throughBlock = _Differentiation.gradient(at: x) { x in exported.forward(x, state).value.squared().sum() }
    let byHand = _Differentiation.gradient(at: x) { x in x.adding(relu(layer.forward(x))).squared().sum() }
    #expect(throughBlock == byHand)
    // Penzai's Elementwise layers take part too.
    let (tanhBlock, tanhState) = try exportState(ResidualBlock(Elementwise(.tanh)))
    let viaElementwise = _Differentiation.gradient(at: x) { x in tanhBlock.forward(x, tanhState).value.sum() }
    let direct = _Differentiation.gradient(at: x) { x in x.adding(tanh(x)).sum() }
    #expect(viaElementwise == direct)
  }
}
