import StateKeys

/// Inox's `MLP`: moments of the input and the output around three linear layers.
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

/// Runs Inox's Moments/MLP example on a few inputs and shows the model, states and outputs.
@main
struct Demo {
  static func main() throws {
    let (model, initial) = try exportState(MLP(inFeatures: 16, classes: 3, key: RandomKey(seed: 0)))
    print("The model after exportState: its entries became keys.\n")
    print(treeDescription(of: model))
    print("\nThe state before any call:\n")
    printValues(of: initial)

    var state = initial
    let inputKeys = try RandomKey(seed: 1).split(into: 3)
    print("\nThree calls, (y, state) = model(x, state), each x drawn from a key split from seed 1:\n")
    for (index, key) in inputKeys.enumerated() {
      let x = try Tensor.normal([16], key: key)
      let y: Tensor
      (y, state) = try model(x, state)
      print("  call \(index + 1): y = \(format(y.scalars))")
    }
    print("\nThe state after three calls (the first state is unchanged: \(try initial[model.inStats.first] == Tensor.zeros([16]))):\n")
    printValues(of: state)
  }

  /// Prints each entry's key, summary and first few values.
  static func printValues(of state: State) {
    print(state)
    for key in state.keys {
      guard let tensor = try? state.value(for: key, as: Tensor.self) else { continue }
      print("  \(key.path.padding(toLength: 18)) \(format(Array(tensor.scalars.prefix(4))))\(tensor.count > 4 ? " …" : "")")
    }
  }

  static func format(_ values: [Float]) -> String {
    "[" + values.map { value in
      let rounded = (value * 10_000).rounded() / 10_000
      return String(rounded)
    }.joined(separator: ", ") + "]"
  }
}

extension String {
  fileprivate func padding(toLength length: Int) -> String {
    count >= length ? self : self + String(repeating: " ", count: length - count)
  }
}
