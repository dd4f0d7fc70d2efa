import ExplicitState
import RandomKeys
import TensorLayers

/// The seed page's `Moments`, in Swift.
struct Moments: StateVisitable {
  var first: StateEntry<Tensor>
  var second: StateEntry<Tensor>

  init(features: Int) throws {
    first = StateEntry(try .zeros([features]))
    second = StateEntry(try .ones([features]))
  }

  func callAsFunction(_ x: Tensor, _ state: consuming State) throws -> State {
    let first = try state[self.first]
    let second = try state[self.second]
    return try updateState(state, [
      self.first: 0.9 * first + 0.1 * x,
      self.second: 0.9 * second + 0.1 * x.squared(),
    ])
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("first", &first)
    visitor.visit("second", &second)
  }
}

/// The seed page's `MLP`, in Swift, with Inox's field names in Swift's case.
struct MLP: StateVisitable {
  var inStats: Moments
  var outStats: Moments
  var l1: Linear
  var l2: Linear
  var l3: Linear
  var relu = ReLU()

  init(inFeatures: Int, classes: Int, key: RandomKey) throws {
    let keys = try key.split(into: 3)
    inStats = try Moments(features: inFeatures)
    outStats = try Moments(features: classes)
    l1 = try Linear(inFeatures: inFeatures, outFeatures: 64, key: keys[0])
    l2 = try Linear(inFeatures: 64, outFeatures: 64, key: keys[1])
    l3 = try Linear(inFeatures: 64, outFeatures: classes, key: keys[2])
  }

  func callAsFunction(_ x: Tensor, _ state: consuming State) throws -> (Tensor, State) {
    var state = try inStats(x, state)
    var x = try l1(x)
    x = relu(x)
    x = try l2(x)
    x = relu(x)
    x = try l3(x)
    state = try outStats(x, state)
    return (x, state)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("inStats", &inStats)
    visitor.visit("outStats", &outStats)
  }
}
