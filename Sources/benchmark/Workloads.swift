import StateKeys

/// A stack of `Moments` layers: the workload of Inox's anchor (`Stack`).
struct MomentsStack: StateVisitable {
  var layers: [Moments]

  init(layers: Int, features: Int) throws {
    self.layers = try (0..<layers).map { _ in try Moments(features: features) }
  }

  func callAsFunction(_ x: Tensor, _ state: consuming State) throws -> (Tensor, State) {
    var state = state
    for layer in layers {
      state = try layer(x, state)
    }
    return (x, state)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("layers", &layers)
  }
}

/// The layout of `MomentsStack` with fixed-size values, `SIMD16<Float>`, which a state stores
/// inline: what a state costs beyond its values.
struct InlineMomentsStack: StateVisitable {
  struct Layer: StateVisitable {
    var first = StateEntry(SIMD16<Float>(repeating: 0))
    var second = StateEntry(SIMD16<Float>(repeating: 1))

    mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
      visitor.visit("first", &first)
      visitor.visit("second", &second)
    }
  }

  var layers: [Layer]

  init(layers: Int) {
    self.layers = Array(repeating: Layer(), count: layers)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("layers", &layers)
  }
}

/// Float entries, for reads and writes of single values.
struct Floats: StateVisitable {
  var values: [StateEntry<Float>]

  init(count: Int) {
    values = (0..<count).map { StateEntry(Float($0)) }
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("values", &values)
  }
}

/// `calls` updates of one key, written the natural way: `state = updateState(state, ...)`.
@inline(never)
func updateOneKey(_ state: consuming State, _ entry: StateEntry<Tensor>, _ value: Tensor, calls: Int) throws -> State {
  var state = state
  for _ in 0..<calls {
    state = try updateState(state, [entry: value])
  }
  return state
}

/// `count` read-modify-writes of Float entries through their keys: a read, then `updateState`.
@inline(never)
func readModifyWriteState(_ state: consuming State, _ entries: [StateEntry<Float>], count: Int) throws -> State {
  var state = state
  let mask = entries.count - 1
  for i in 0..<count {
    let entry = entries[(i &* 7) & mask]
    let value = try state[entry]
    state = try updateState(state, [entry: value + 1])
  }
  return state
}

/// `count` read-modify-writes of Float entries through their keys, in place with one
/// `State.modify` each, which checks at every write that the storage is not shared.
@inline(never)
func modifyState(_ state: consuming State, _ entries: [StateEntry<Float>], count: Int) throws -> State {
  var state = state
  let mask = entries.count - 1
  for i in 0..<count {
    try state.modify(entries[(i &* 7) & mask]) { $0 += 1 }
  }
  return state
}

/// The same read-modify-writes through a `StateEditor`, in one `State.edit`: the counterpart
/// of the plain loop, whose uniqueness check the compiler makes once before the loop.
@inline(never)
func editState(_ state: consuming State, _ entries: [StateEntry<Float>], count: Int) throws -> State {
  var state = state
  let mask = entries.count - 1
  try state.edit { editor in
    for i in 0..<count {
      try editor.modify(entries[(i &* 7) & mask]) { $0 += 1 }
    }
  }
  return state
}

/// The same read-modify-writes on a plain array: the floor.
@inline(never)
func readModifyWritePlain(_ values: inout [Float], count: Int) {
  let mask = values.count - 1
  for i in 0..<count {
    values[(i &* 7) & mask] += 1
  }
}

/// `calls` calls of the stack, written the natural way: `(y, state) = model(x, state)`.
@inline(never)
func callStack(_ model: MomentsStack, _ x: Tensor, _ state: consuming State, calls: Int) throws -> State {
  var state = state
  var y = x
  for _ in 0..<calls {
    (y, state) = try model(x, state)
  }
  blackHole(y)
  return state
}

/// The Moments arithmetic on plain arrays, in place: the floor no library can beat.
@inline(never)
func handwrittenMoments(first: inout [[Float]], second: inout [[Float]], x: [Float]) {
  for layer in first.indices {
    first[layer].withUnsafeMutableBufferPointer { f in
      second[layer].withUnsafeMutableBufferPointer { s in
        x.withUnsafeBufferPointer { x in
          for i in x.indices {
            f[i] = 0.9 * f[i] + 0.1 * x[i]
            s[i] = 0.9 * s[i] + 0.1 * (x[i] * x[i])
          }
        }
      }
    }
  }
}

/// The Penzai anchor's layer: adds its input into a 16-float local state.
struct Accumulate: Layer {
  var accumulator: LocalStateEffect<Tensor> = .initial(category: "state") {
    Tensor([Float](repeating: 0, count: 16))
  }

  func callAsFunction(_ x: Tensor) throws -> Tensor {
    try accumulator.modify { total in try total += x }
    return x
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("accumulator", &accumulator)
  }
}

/// `calls` calls of a handled model, written the natural way: `(y, state) = handled((x, state))`.
@inline(never)
func callHandled(
  _ handled: WithFunctionalLocalState<Sequential>, _ x: Tensor, _ state: consuming State, calls: Int
) throws -> State {
  var state = state
  var y: any Sendable = x
  for _ in 0..<calls {
    (y, state) = try handled(x, state)
  }
  blackHole(y)
  return state
}


/// The safetensors anchor's state: `layers` tensors of 1 MiB (`Float[262144]` of standard
/// normals), whose keys are `.layers[i].weight`.
struct WeightStack: StateVisitable {
  struct Layer: StateVisitable {
    var weight: StateEntry<Tensor>
    mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) { visitor.visit("weight", &weight) }
  }

  /// The bytes of one tensor: 1 MiB.
  static let tensorBytes = 262_144 * MemoryLayout<Float>.size

  var layers: [Layer]

  init(layers: Int) throws {
    let key = RandomKey(seed: 0)
    self.layers = try (0..<layers).map { Layer(weight: StateEntry(try Tensor.normal([262_144], key: key.foldIn(UInt32($0))))) }
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) { visitor.visit("layers", &layers) }
}
