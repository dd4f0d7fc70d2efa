import DataEffects
import ExplicitState
import RandomKeys

/// The tutorial's `ExampleLayerWithAState`: adds its input into a local state.
struct ExampleLayerWithAState: Layer {
  var accumulator: LocalStateEffect<Float>

  func callAsFunction(_ x: Float) throws -> Float {
    try accumulator.set(accumulator.get() + x)
    return x
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("accumulator", &accumulator)
  }

  static func fromConfig(category: String = "example_state") -> ExampleLayerWithAState {
    ExampleLayerWithAState(accumulator: .initial(category: category) { 0 })
  }
}

/// `ExampleLayerWithAState` with its slot handed to the walk through `visitNode(_:)`, which
/// bypasses the slot's `_accept(_:)`: walks reach it as generic code, through `NodeKinds`.
struct DirectlyVisitedLayerWithAState: Layer {
  var accumulator: LocalStateEffect<Float>

  func callAsFunction(_ x: Float) throws -> Float {
    try accumulator.set(accumulator.get() + 2 * x)
    return x
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.enter(.field("accumulator"))
    visitor.visitNode(&accumulator)
    visitor.exit()
  }
}

/// Keys spelled as Penzai names local states.
func names(_ state: State) -> [String] { state.keys.map(\.path) }

/// The value of a named local state.
func value(_ state: State, _ name: String) throws -> Float {
  try state.value(for: StateKey(name: name), as: Float.self)
}

/// The tutorial's `MyLayerWithSideInputs`: returns its input paired with a side input.
struct MyLayerWithSideInputs: Layer {
  var sideArg: SideInputEffect<String>

  init(_ tag: SideInputTag) {
    sideArg = .request(tag)
  }

  func callAsFunction(_ x: any Sendable) throws -> any Sendable {
    (x, try sideArg.ask())
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("sideArg", &sideArg)
  }
}

/// Tells each draw of its random stream: a probe for the keys a handler gives.
struct KeyRecorder: Layer {
  var random: RandomEffect = .request
  var keys: SideOutputEffect<RandomKey> = .request("keys")

  func callAsFunction(_ x: any Sendable) throws -> any Sendable {
    try keys.tell(random.nextKey())
    return x
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("random", &random)
    visitor.visit("keys", &keys)
  }
}
