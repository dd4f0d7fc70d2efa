import Foundation
import StateKeys
import _Differentiation

/// The model of `shared/anchors/inox_train_anchor.py`: Moments of the batch mean, Linear(64,
/// 64), ReLU, BatchNorm, Linear(64, 64), ReLU, Linear(64, 10), Moments of the logits.
struct AnchorMLP: Differentiable, StateVisitable {
  var inStats: Moments
  var l1: Linear
  var norm: BatchNorm
  var l2: Linear
  var l3: Linear
  var outStats: Moments

  init(key: RandomKey) throws {
    let keys = try key.split(into: 3)
    inStats = try Moments(features: 64)
    l1 = try Linear(inFeatures: 64, outFeatures: 64, key: keys[0])
    norm = try BatchNorm(channels: 64)
    l2 = try Linear(inFeatures: 64, outFeatures: 64, key: keys[1])
    l3 = try Linear(inFeatures: 64, outFeatures: 10, key: keys[2])
    outStats = try Moments(features: 10)
  }

  @differentiable(reverse, wrt: self)
  func loss(_ x: Tensor, _ labels: [Int], _ state: State) -> Stateful<Float> {
    let state = inStats.forward(x.mean(along: 0), state)
    let normalized = norm.forward(relu(l1.forward(x)), state)
    let logits = l3.forward(relu(l2.forward(normalized.value)))
    let loss = softmaxCrossEntropy(logits: logits, labels: labels).mean()
    return Stateful(loss, state: outStats.forward(logits.mean(along: 0), normalized.state))
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("in_stats", &inStats)
    visitor.visit("l1", &l1)
    visitor.visit("norm", &norm)
    visitor.visit("l2", &l2)
    visitor.visit("l3", &l3)
    visitor.visit("out_stats", &outStats)
  }
}

extension Benchmark {
  /// One training step of the anchor's MLP with Adam (`train_step`), as the anchor's jitted
  /// `value_and_grad` plus optax's adam; and, for the gradient's cost, the loss alone
  /// (`train_forward`) and the loss with its gradient (`train_gradient`).
  func trainStep(batch: Int) throws {
    var (model, state) = try exportState(AnchorMLP(key: RandomKey(seed: 0)))
    let (xKey, labelKey) = RandomKey(seed: batch).split()
    let x = try Tensor.normal([batch, 64], key: xKey)
    let labels = try labelKey.uniform(shape: [batch], minimum: 0, maximum: 10).map { Int($0) }
    let adam = try Adam(learningRate: 1e-3)
    var optimizerState = try adam.makeState(for: model)
    let steps = 200
    let step = try nanosecondsPerItem(items: steps, repetitions: repetitions, fastest: true) {
      for _ in 0..<steps {
        let (_, gradient, newState) = try valueWithGradient(at: model, state) { model, state in model.loss(x, labels, state) }
        state = newState
        (model, optimizerState) = try adam.step(model, gradients: gradient, state: optimizerState)
      }
    }
    let forward = try nanosecondsPerItem(items: steps, repetitions: repetitions, fastest: true) {
      for _ in 0..<steps { blackHole(try withDeferredErrors { model.loss(x, labels, state) }) }
    }
    let gradient = try nanosecondsPerItem(items: steps, repetitions: repetitions, fastest: true) {
      for _ in 0..<steps {
        blackHole(try valueWithGradient(at: model, state) { model, state in model.loss(x, labels, state) })
      }
    }
    print(Figure(workload: "train_step", n: batch, nanosecondsPerItem: step).json)
    print(Figure(workload: "train_forward", n: batch, nanosecondsPerItem: forward).json)
    print(Figure(workload: "train_gradient", n: batch, nanosecondsPerItem: gradient, extra: [
      ("gradient_over_forward", String(format: "%.2f", gradient / forward)),
    ]).json)
  }
}
