import ExplicitState
import RandomKeys
import TensorLayers
import _Differentiation

/// The MLP of `shared/anchors/inox_train_anchor.py` and of the fixture scripts, field for field
/// and with Inox's attribute names: Moments of the batch mean, Linear, ReLU, BatchNorm, Linear,
/// ReLU, Linear, Moments of the logits' batch mean.
public struct InoxMLP: Differentiable, StateVisitable, Equatable, Sendable {
  /// The moments of the input's batch mean, `.in_stats`.
  public var inStats: Moments
  /// The first layer, `.l1`.
  public var l1: Linear
  /// The batch normalization after the first layer, `.norm`.
  public var norm: BatchNorm
  /// The second layer, `.l2`.
  public var l2: Linear
  /// The last layer, `.l3`, which gives the logits.
  public var l3: Linear
  /// The moments of the logits' batch mean, `.out_stats`.
  public var outStats: Moments

  /// Initialized as Inox's `MLP(key)`: the key split in three, one per linear layer.
  public init(key: RandomKey, features: Int = 64, hidden: Int = 64, classes: Int = 10) throws {
    let keys = try key.split(into: 3)
    inStats = try Moments(features: features)
    l1 = try Linear(inFeatures: features, outFeatures: hidden, key: keys[0])
    norm = try BatchNorm(channels: hidden)
    l2 = try Linear(inFeatures: hidden, outFeatures: hidden, key: keys[1])
    l3 = try Linear(inFeatures: hidden, outFeatures: classes, key: keys[2])
    outStats = try Moments(features: classes)
  }

  /// The logits and the new state, through the layers' throwing calls.
  public func callAsFunction(_ x: Tensor, _ state: consuming State) throws -> (Tensor, State) {
    var state = try inStats(x.mean(alongAxis: 0), state)
    var y = try relu(l1(x))
    (y, state) = try norm(y, state)
    y = try l3(relu(l2(y)))
    return (y, try outStats(y.mean(alongAxis: 0), state))
  }

  /// The logits and the new state, differentiable.
  @differentiable(reverse, wrt: (self, x))
  public func forward(_ x: Tensor, _ state: State) -> Stateful<Tensor> {
    let state = inStats.forward(x.mean(along: 0), state)
    let normalized = norm.forward(relu(l1.forward(x)), state)
    let logits = l3.forward(relu(l2.forward(normalized.value)))
    return Stateful(logits, state: outStats.forward(logits.mean(along: 0), normalized.state))
  }

  /// The mean softmax cross-entropy of the model on a batch, and the new state.
  @differentiable(reverse, wrt: self)
  public func loss(_ x: Tensor, _ labels: [Int], _ state: State) -> Stateful<Float> {
    let output = forward(x, state)
    return Stateful(softmaxCrossEntropy(logits: output.value, labels: labels).mean(), state: output.state)
  }

  /// Visits the layers under Inox's names.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("in_stats", &inStats)
    visitor.visit("l1", &l1)
    visitor.visit("norm", &norm)
    visitor.visit("l2", &l2)
    visitor.visit("l3", &l3)
    visitor.visit("out_stats", &outStats)
  }
}
