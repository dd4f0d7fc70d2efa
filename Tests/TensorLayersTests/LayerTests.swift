import ExplicitState
import RandomKeys
import TensorLayers
import Testing

@Suite("Layers: Linear, ReLU, BatchNorm, Dropout")
struct LayerTests {
  @Test func linearChecksItsInputAndParameters() throws {
    let layer = try Linear(inFeatures: 3, outFeatures: 2, key: RandomKey(seed: 0))
    #expect(try layer(Tensor([1, 2, 3])).shape == [2])
    #expect(try layer(Tensor.ones([5, 3])).shape == [5, 2])
    #expect(throws: TensorError.incompatibleShapes(operation: "matmul", [4], [3, 2])) { try layer(Tensor.ones([4])) }
    #expect(throws: TensorError.self) { try Linear(weight: Tensor.ones([3]), bias: nil) }
    #expect(throws: TensorError.self) { try Linear(weight: Tensor.ones([3, 2]), bias: Tensor.ones([3])) }
    let unbiased = try Linear(inFeatures: 3, outFeatures: 2, bias: false, key: RandomKey(seed: 0))
    #expect(unbiased.bias == nil)
    #expect(throws: TensorError.invalidShape([-1, 2])) { try Linear(inFeatures: -1, outFeatures: 2, key: RandomKey(seed: 0)) }
  }

  @Test func batchNormKeysItsStatistics() throws {
    let (norm, state) = try exportState(BatchNorm(channels: 4))
    #expect(state.keys.map(\.path) == [".stats"])
    #expect(norm.stats.description == #"StateKey(".stats")"#)
    // The statistics name their leaves as Inox's named tuple does.
    #expect(try exportParameters(state[norm.stats]).keys.map(\.path) == [".mean", ".var"])
    #expect(state.description == "State {\n  StateKey(\".stats\"): Statistics(mean: Float[4], var: Float[4])\n}")
  }

  @Test func batchNormInInferenceUsesRunningStatisticsAndKeepsTheState() throws {
    var norm = try BatchNorm(channels: 2)
    norm.isTraining = false
    let (exported, state) = try exportState(norm)
    let x = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    let (y, same) = try exported(x, state)
    #expect(y.isApproximatelyEqual(to: x / (1 + 1e-5 as Float).squareRoot()))
    #expect(try same[exported.stats] == state[exported.stats])
    #expect(try exported(Tensor([1, 2]), state).0.shape == [2])
  }

  @Test func batchNormInTrainingNeedsABatch() throws {
    let (norm, state) = try exportState(BatchNorm(channels: 3))
    #expect(throws: TensorError.notBatched(layer: "BatchNorm", shape: [3])) { try norm(Tensor([1, 2, 3]), state) }
    #expect(throws: TensorError.self) { try norm(Tensor.ones([2, 4]), state) }
  }

  @Test func batchNormBeforeExportThrowsAStateError() throws {
    #expect(throws: StateError.unexportedEntry(valueType: "Statistics")) {
      try BatchNorm(channels: 2)(Tensor.ones([2, 2]), State())
    }
  }

  @Test func dropoutValidatesItsRateAndPassesThroughInInference() throws {
    #expect(throws: TensorError.invalidRate(1)) { try Dropout(rate: 1) }
    #expect(throws: TensorError.invalidRate(-0.1)) { try Dropout(rate: -0.1) }
    let x = Tensor([1, 2, 3])
    #expect(try Dropout(rate: 0.5, isTraining: false)(x, key: RandomKey(seed: 1)) == x)
    #expect(try Dropout(rate: 0)(x, key: RandomKey(seed: 1)) == x)
  }

  @Test func statelessLayersExportNothing() throws {
    #expect(try exportState(ReLU()).1.isEmpty)
    #expect(try exportState(Dropout()).1.isEmpty)
    #expect(try exportState(Linear(inFeatures: 2, outFeatures: 2, key: RandomKey(seed: 0))).1.isEmpty)
  }
}

@Suite("Moments: Inox's documented stateful layer")
struct MomentsTests {
  @Test func movesTheMomentsTowardTheInput() throws {
    let (moments, state) = try exportState(Moments(features: 2))
    #expect(state.keys.map(\.path) == [".first", ".second"])
    let next = try moments(Tensor([1, -2]), state)
    #expect(try next[moments.first].isApproximatelyEqual(to: Tensor([0.1, -0.2]), tolerance: 1e-7))
    #expect(try next[moments.second].isApproximatelyEqual(to: Tensor([1.0, 1.3]), tolerance: 1e-6))
    #expect(try state[moments.first] == Tensor.zeros([2]))
  }

  @Test func rejectsInputsOfAnotherShape() throws {
    let (moments, state) = try exportState(Moments(features: 2))
    #expect(throws: TensorError.incompatibleShapes(operation: "combine(_:_:with:_:)", [2], [3])) {
      try moments(Tensor([1, 2, 3]), state)
    }
    #expect(throws: TensorError.invalidShape([-1])) { try Moments(features: -1) }
  }
}

/// A model with layers that have a mode, one of them behind an enum, and one of its own.
struct ModalModel: StateVisitable {
  enum Block: StateVisitable {
    case norm(BatchNorm)
    mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
      guard case .norm(var norm) = self else { return }
      visitor.visit(unnamed: &norm)
      self = .norm(norm)
    }
  }

  /// A user layer that opts in.
  struct Noisy: StateVisitable, TrainingModeSwitchable {
    var isTraining = true
    mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {}
  }

  var norm = try! BatchNorm(channels: 2)
  var dropouts = [try! Dropout(rate: 0.5), try! Dropout(rate: 0.1)]
  var block = Block.norm(try! BatchNorm(channels: 2))
  var noisy = Noisy()
  var linear = try! Linear(inFeatures: 2, outFeatures: 2, key: RandomKey(seed: 0))

  var modes: [Bool] {
    guard case .norm(let inner) = block else { return [] }
    return [norm.isTraining] + dropouts.map(\.isTraining) + [inner.isTraining, noisy.isTraining]
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("norm", &norm)
    visitor.visit("dropouts", &dropouts)
    visitor.visit("block", &block)
    visitor.visit("noisy", &noisy)
    visitor.visit("linear", &linear)
  }
}

@Suite("Training mode: one call sets every layer that has one, as Inox's Module.train(mode)")
struct TrainingModeTests {
  @Test func oneCallSetsEveryLayerWithAMode() throws {
    var model = ModalModel()
    #expect(model.modes == [true, true, true, true, true])
    model.setTrainingMode(false)
    #expect(model.modes == [false, false, false, false, false])
    model.setTrainingMode(true)
    #expect(model.modes == [true, true, true, true, true])
  }

  @Test func anExportedModelKeepsItsKeysWhenSwitched() throws {
    var (model, state) = try exportState(ModalModel())
    model.setTrainingMode(false)
    #expect(model.norm.stats.isExported)
    let x = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    #expect(try model.norm(x, state).1 == state)
  }
}
