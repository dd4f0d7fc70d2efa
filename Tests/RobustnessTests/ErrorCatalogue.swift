import Foundation
import PenzaiGemma
import StateKeys
import Testing

/// One row of the error catalogue: the error, what triggers it, its message, and a call of the
/// public API that throws it.
struct CatalogueRow: Sendable, CustomTestStringConvertible {
  let error: String
  let trigger: String
  let message: String
  let call: @Sendable () throws -> Void

  var testDescription: String { error }
}

/// A layer with one local state, for the effect errors.
struct Counter: Layer {
  var count: LocalStateEffect<Float>
  func callAsFunction(_ x: Float) throws -> Float {
    try count.set(count.get() + x)
    return x
  }
  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) { visitor.visit("count", &count) }
}

/// A layer that reads its local state inside its own `modify`.
struct SelfReadingCounter: Layer {
  var count: LocalStateEffect<Float> = .initial(category: "c", name: "s") { 0 }
  func callAsFunction(_ x: Float) throws -> Float {
    try count.modify { value in value += try count.get() }
    return x
  }
  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) { visitor.visit("count", &count) }
}

/// A layer whose local state holds an `Int`, to clash with `Counter`'s `Float`.
struct IntCounter: Layer {
  var count: LocalStateEffect<Int>
  func callAsFunction(_ x: Float) throws -> Float { x }
  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) { visitor.visit("count", &count) }
}

/// A module whose `visitChildren` names two children alike.
struct Doubled: StateVisitable {
  var a = StateEntry(1)
  var b = StateEntry(2)
  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("a", &a)
    visitor.visit("a", &b)
  }
}

/// A module whose `visitChildren` exits a child it never entered.
struct Unbalanced: StateVisitable {
  var a = StateEntry(1)
  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.exit()
    visitor.visit("a", &a)
  }
}

/// A layer that is a class: exporting it would change every model that shares it.
final class SharedLayer: StateVisitable {
  var entry = StateEntry(Float(0))
  func visitChildren<V: StateVisitor>(_ visitor: inout V) { visitor.visit("entry", &entry) }
}

/// A model holding a class-typed layer.
struct HoldsASharedLayer: StateVisitable {
  var layer = SharedLayer()
  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) { visitor.visit("layer", &layer) }
}

/// A chain of nested modules, `depth` levels deep.
struct Chain: StateVisitable {
  var next: [Chain] = []
  var entry = StateEntry(Float(0))

  /// A chain of `depth` levels, built without recursion.
  static func deep(_ depth: Int) -> Chain {
    var chain = Chain()
    for _ in 0..<depth { chain = Chain(next: [chain]) }
    return chain
  }

  /// Takes the chain apart one level at a time, so that releasing it does not recurse; the
  /// chain must be the only owner of its levels.
  static func dismantle(_ chain: inout Chain) {
    var node = chain
    chain = Chain()
    while let next = node.next.first {
      node.next = []
      node = next
    }
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("next", &next)
    visitor.visit("entry", &entry)
  }
}

/// A safetensors file of `header` and `data`.
func safetensors(_ header: String, _ data: [UInt8] = []) -> [UInt8] {
  let bytes = Array(header.utf8)
  return withUnsafeBytes(of: UInt64(bytes.count).littleEndian, Array.init) + bytes + data
}

let counter = Counter(count: .initial(category: "c") { 0 })
let linear34 = try! Linear(inFeatures: 3, outFeatures: 4, key: RandomKey(seed: 0))

/// A state of one `Float` parameter, `.scale`, which optimizers do not update.
func scaleParameters() throws -> State {
  var builder = StateBuilder()
  builder.append(Float(1), for: StateKey(parsing: ".scale"))
  return try builder.build()
}
let moments4 = try! exportState(Moments(features: 4))

/// Every error the package throws, with a call that throws it.
let catalogue: [CatalogueRow] = [
  // ExplicitState
  CatalogueRow(error: "StateError.missingKey", trigger: "reading a key the state does not hold",
    message: #"No entry for StateKey(".nope") in this state of 2 entries: expected a key exported from the same model."#,
    call: { _ = try moments4.1.value(for: try StateKey([.field("nope")]), as: Tensor.self) }),
  CatalogueRow(error: "StateError.typeMismatch", trigger: "reading, updating or importing a value as another type",
    message: #"StateKey(".first"): expected a value of type Float, found a value of type Tensor."#,
    call: { _ = try moments4.1.value(for: try StateKey([.field("first")]), as: Float.self) }),
  CatalogueRow(error: "StateError.unknownKey", trigger: "updateState with a key the state does not hold",
    message: #"updateState: StateKey(".new") is not in this state of 2 entries; updateState changes existing entries and never adds keys."#,
    call: { _ = try updateState(moments4.1, [try StateKey([.field("new")]): Float(1)]) }),
  CatalogueRow(error: "StateError.unexportedEntry", trigger: "reading or updating through an entry not yet exported",
    message: "A StateEntry<Tensor> still holds its value and has no key: export the model with exportState(_:) before reading or updating its state.",
    call: { _ = try moments4.1[Moments(features: 4).first] }),
  CatalogueRow(error: "StateError.keyMismatch", trigger: "importState with a state of other keys",
    message: #"importState: the state does not match the model; missing from the state: StateKey(".first"), StateKey(".second")."#,
    call: { _ = try importState(moments4.0, State()) }),
  CatalogueRow(error: "StateError.duplicateKey", trigger: "exporting a tree whose visitChildren names two children alike",
    message: #"exportState: two entries have the path StateKey(".a"); a visitChildren(_:) implementation visits two children under one name."#,
    call: { _ = try exportState(Doubled()) }),
  CatalogueRow(error: "StateError.unbalancedTraversal", trigger: "exporting a tree whose visitChildren exits more than it enters",
    message: "exportState: visitChildren(_:) called enter(_:) 1 times but exit() 2 times; every enter needs one exit.",
    call: { _ = try exportState(Unbalanced()) }),
  CatalogueRow(error: "StateError.invalidPathComponent", trigger: "exporting a tree with a field name that holds path syntax",
    message: #"A key under ['fields'] cannot hold the field name "a.b": expected a field name without '.', '[' or ']', which would print as another path."#,
    call: { _ = try exportState(["fields": NamedNode(fields: [("a.b", NamedNode(entry: StateEntry(1)))])]) }),
  CatalogueRow(error: "StateError.referenceTypeNode", trigger: "exporting a tree that holds an instance of a class",
    message: "exportState: the node at .layer is an instance of the class RobustnessTests.SharedLayer; expected a value type, since exporting would swap the entries of every model sharing the instance.",
    call: { _ = try exportState(HoldsASharedLayer()) }),
  CatalogueRow(error: "StateError.treeTooDeep", trigger: "exporting a tree deeper than 1,000 levels",
    message: "exportState: the tree is deeper than 1000 levels at .next[0].next[0].next[0].next[0]...; expected a module tree of at most 1000 levels.",
    call: {
      var chain = Chain.deep(2_000)
      defer { Chain.dismantle(&chain) }
      _ = try exportState(chain)
    }),
  CatalogueRow(error: "StateError.overlappingAccess", trigger: "State.modify(_:_:_:) given one entry twice",
    message: #"State.modify: both entries have the key StateKey(".first"); expected two different entries, since one value cannot be changed through two arguments at once."#,
    call: {
      let (model, exported) = try exportState(try Moments(features: 2))
      var state = exported
      try state.modify(model.first, model.first) { try $0 += $1 }
    }),
  // RandomKeys
  CatalogueRow(error: "RandomKeyError.invalidCount", trigger: "split(into:) with a negative count",
    message: "split(into:): expected a count of zero or more keys, at most half of maximumDrawCount, found -1.",
    call: { _ = try RandomKey(seed: 0).split(into: -1) }),
  CatalogueRow(error: "RandomKeyError.invalidShape", trigger: "drawing with a negative dimension",
    message: "expected a shape of non-negative dimensions of at most maximumDrawCount elements, found [2, -1].",
    call: { _ = try RandomKey(seed: 0).uniform(shape: [2, -1]) }),
  CatalogueRow(error: "RandomKeyError.invalidProbability", trigger: "bernoulli with a probability outside 0...1",
    message: "bernoulli: expected a probability in 0...1, found 1.5.",
    call: { _ = try RandomKey(seed: 0).bernoulli(probability: 1.5, shape: [1]) }),
  CatalogueRow(error: "RandomKeyError.invalidBounds", trigger: "uniform with bounds that are not finite and ordered",
    message: "uniform: expected finite bounds with minimum <= maximum, found 1.0..<0.0.",
    call: { _ = try RandomKey(seed: 0).uniform(shape: [1], minimum: 1, maximum: 0) }),
  // TensorLayers
  CatalogueRow(error: "TensorError.invalidShape", trigger: "a tensor with a negative dimension",
    message: "Expected a shape of non-negative dimensions of at most Tensor.maximumElementCount elements, found [-3].",
    call: { _ = try Tensor.zeros([-3]) }),
  CatalogueRow(error: "TensorError.scalarCountMismatch", trigger: "scalars that do not fill the shape",
    message: "A tensor of shape [2, 2] needs 4 scalars, found 3.",
    call: { _ = try Tensor(shape: [2, 2], scalars: [1, 2, 3]) }),
  CatalogueRow(error: "TensorError.incompatibleShapes", trigger: "arithmetic or matmul on shapes that do not fit",
    message: "+: shapes [2] and [3] are incompatible.",
    call: { _ = try Tensor([1, 2]) + Tensor([1, 2, 3]) }),
  CatalogueRow(error: "TensorError.invalidAxis", trigger: "a reduction along an axis the tensor lacks",
    message: "Expected an axis in 0..<1, found 1.",
    call: { _ = try Tensor([1, 2]).sum(alongAxis: 1) }),
  CatalogueRow(error: "TensorError.notBatched", trigger: "BatchNorm in training on an unbatched input",
    message: "BatchNorm: expected a batched input of rank 2 or more, found shape [3].",
    call: {
      let (norm, state) = try exportState(BatchNorm(channels: 3))
      _ = try norm(Tensor([1, 2, 3]), state)
    }),
  CatalogueRow(error: "TensorError.invalidRate", trigger: "dropout with a rate outside 0..<1",
    message: "Dropout: expected a rate in 0..<1, found 1.0.",
    call: { _ = try Dropout(rate: 1) }),
  CatalogueRow(error: "TensorError.random", trigger: "a random tensor with bad bounds",
    message: "uniform: expected finite bounds with minimum <= maximum, found 2.0..<1.0.",
    call: { _ = try Tensor.uniform([1], key: RandomKey(seed: 0), minimum: 2, maximum: 1) }),
  CatalogueRow(error: "TensorError.invalidLabel", trigger: "softmax cross-entropy with a label outside the classes",
    message: "Labels[1]: expected a class in 0..<2, found 2.",
    call: { _ = try withDeferredErrors { softmaxCrossEntropy(logits: try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), labels: [0, 2]) } }),
  CatalogueRow(error: "TensorError.indexOutOfRange", trigger: "gathering a row that the tensor does not have (a token outside the vocabulary)",
    message: "Indices[1]: expected a row in 0..<3, found 3.",
    call: { _ = try Tensor(shape: [3, 2], scalars: [0, 1, 2, 3, 4, 5]).rows(at: [0, 3]) }),
  // DataEffects
  CatalogueRow(error: "LayerError.inputTypeMismatch", trigger: "a layer in a Sequential given a value of another type",
    message: "Elementwise expects an input of type Tensor, found a value of type String.",
    call: { _ = try Sequential([Elementwise(.relu)])("text") }),
  CatalogueRow(error: "LayerError.unsupportedValue", trigger: "ConstantRescale or Residual given a value that is not a number or tensor",
    message: "ConstantRescale cannot take a value of type String.",
    call: { _ = try ConstantRescale(by: 2)("text") }),
  CatalogueRow(error: "EffectError.unhandledRequest", trigger: "calling a layer whose effect request no handler took",
    message: "Effect method 'get' was called on a non-handled effect request of type InitialLocalStateRequest! This usually means that an effectful layer has been called without wrapping that layer in an effect handler that knows how to interpret the effect. Instances of EffectRequest must be replaced before the layer is called.",
    call: { _ = try counter(1) }),
  CatalogueRow(error: "EffectError.unboundReference", trigger: "calling a layer pulled out of its handler",
    message: "Effect method 'nextKey' was called on an unbound effect reference HandledRandomRef(handlerID: \"gone\")! Layers with side effects should only be called using the handler that handles those effects. This error usually means that an effectful node was removed from its handler without actually handling the effect first.",
    call: { _ = try RandomEffect.handled(handlerID: "gone").nextKey() }),
  CatalogueRow(error: "EffectError.overlappingAccess", trigger: "reading a local state inside its own modify",
    message: "Effect method 'get' was called on HandledLocalStateRef(handlerID: \"h\", category: \"c\", name: \"s\", wasExplicitlyNamed: true) while a 'modify' of the same state was running. Inside 'modify', read and change that state through the closure's argument.",
    call: {
      let (handled, state) = try handleLocalStates(SelfReadingCounter(), category: "c", handlerID: "h")
      _ = try handled(Float(1), state)
    }),
  CatalogueRow(error: "EffectError.duplicateStateName", trigger: "two states of one name under stateSharing .forbidden",
    message: "Detected two local states with the same explicit name 's', which is not allowed when stateSharing is .forbidden.",
    call: {
      let named = Counter(count: .initial(category: "c", name: "s") { 0 })
      _ = try handleLocalStates(Sequential([named, named]), category: "c")
    }),
  CatalogueRow(error: "EffectError.conflictingStateInitializers", trigger: "two initial requests of one name, separately made, under .allowed",
    message: "Detected two local states with the same explicit name 's' but different initializers! This is only allowed when stateSharing is .unsafe.",
    call: {
      let first = Counter(count: .initial(category: "c", name: "s") { 0 })
      let second = Counter(count: .initial(category: "c", name: "s") { 0 })
      _ = try handleLocalStates(Sequential([first, second]), category: "c", stateSharing: .allowed)
    }),
  CatalogueRow(error: "EffectError.sharedStateForbidden", trigger: "a SharedLocalStateRequest under stateSharing .forbidden",
    message: "Found a SharedLocalStateRequest for state variable s when stateSharing is .forbidden. SharedLocalStateRequest must only be used when stateSharing is .allowed or .unsafe.",
    call: { _ = try handleLocalStates(Counter(count: .shared(SharedLocalStateRequest(name: "s", category: "c"))), category: "c") }),
  CatalogueRow(error: "EffectError.sharedStateBeforeValue", trigger: "a SharedLocalStateRequest before any request giving its value",
    message: "Found a SharedLocalStateRequest for state variable s before seeing a corresponding value. SharedLocalStateRequest must appear after some other state request with the same name and an explicit value.",
    call: { _ = try handleLocalStates(Counter(count: .shared(SharedLocalStateRequest(name: "s", category: "c"))), category: "c", stateSharing: .allowed) }),
  CatalogueRow(error: "EffectError.stateTypeConflict", trigger: "two requests of one name holding values of different types",
    message: "Local states named 's' hold values of two types, Float and Int; a shared state has one type.",
    call: {
      let float = Counter(count: .initial(category: "c", name: "s") { 0 })
      let int = IntCounter(count: .initial(category: "c", name: "s") { 0 })
      _ = try handleLocalStates(Sequential([float, int]), category: "c", stateSharing: .unsafe)
    }),
  CatalogueRow(error: "EffectError.categoryNotSpecified", trigger: "handleLocalStates with neither a category nor a predicate",
    message: "One of `category` and `categoryPredicate` must be specified. (To handle states of every category, use `categoryPredicate: { _ in true }`.)",
    call: { _ = try handleLocalStates(counter) }),
  CatalogueRow(error: "EffectError.categoryOverspecified", trigger: "handleLocalStates with both a category and a predicate",
    message: "Only one of `category` and `categoryPredicate` may be specified.",
    call: { _ = try handleLocalStates(counter, category: "c", categoryPredicate: { _ in true }) }),
  CatalogueRow(error: "EffectError.conflictingHoistedStates", trigger: "hoisting two different definitions of one name",
    message: "Detected two local states with the same explicit name 'n' but different initializers or values! This is only allowed when `unsafe` is true.",
    call: {
      let one = Counter(count: .frozen(FrozenLocalStateRequest(state: 1, category: "c", name: "n")))
      let two = Counter(count: .frozen(FrozenLocalStateRequest(state: 2, category: "c", name: "n")))
      _ = try hoistSharedStateRequests(Sequential([one, two]))
    }),
  CatalogueRow(error: "EffectError.mismatchedCategories", trigger: "embedding a definition into a shared request of another category",
    message: "Tried to substitute values with mismatched categories! Got c, expected d",
    call: {
      let defining = Counter(count: .frozen(FrozenLocalStateRequest(state: 1, category: "c", name: "n")))
      let sharing = Counter(count: .shared(SharedLocalStateRequest(name: "n", category: "c")))
      let (_, definitions) = try hoistSharedStateRequests(Sequential([defining, sharing]))
      _ = try embedSharedStateRequests(Counter(count: .shared(SharedLocalStateRequest(name: "n", category: "d"))), definitions)
    }),
  CatalogueRow(error: "EffectError.handlerIDExists", trigger: "an explicit handler ID already used in the body",
    message: "Explicit handler ID taken already exists in the subtree!",
    call: {
      let (inner, _) = try handleLocalStates(counter, category: "c", handlerID: "taken")
      _ = try handleLocalStates(inner, category: "c", handlerID: "taken")
    }),
  CatalogueRow(error: "EffectError.handlerIDCollision", trigger: "every prefix of a structure's digest already an ID in the body (not seen in practice: 2⁶⁴ digests)",
    message: "Hash collision: every prefix of WithRandomKeyFromArg_0123456789abcdef is already a handler ID in the subtree.",
    call: { throw EffectError.handlerIDCollision("WithRandomKeyFromArg_0123456789abcdef") }),
  CatalogueRow(error: "EffectError.stateKeyMismatch", trigger: "calling or freezing a handler with a state of other keys",
    message: "handler was called with a state whose keys do not match its local states; missing: Counter.count.",
    call: {
      let (handled, _) = try handleLocalStates(counter, category: "c", handlerID: "handler")
      _ = try handled((Float(1), State()))
    }),
  CatalogueRow(error: "EffectError.invalidSelection", trigger: "a selection edit its nodes cannot take",
    message: "The selected Elementwise at '.delta' is not an element of a Sequential; only a Sequential's layers can have layers inserted around them or be removed.",
    call: { _ = try select(Residual(Elementwise(.relu))).at(instancesOf: Elementwise.self).remove() }),
  // Checkpoints
  CatalogueRow(error: "CheckpointError.truncated", trigger: "a file shorter than 8 bytes",
    message: "The checkpoint is truncated: expected at least 8 bytes, found 3.",
    call: { _ = try SafetensorsFile(decoding: [1, 2, 3]) }),
  CatalogueRow(error: "CheckpointError.headerTooLarge", trigger: "a header length past the end of the file",
    message: "The checkpoint's header claims 100 bytes, but only 2 bytes follow its length.",
    call: { _ = try SafetensorsFile(decoding: [100, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D]) }),
  CatalogueRow(error: "CheckpointError.malformedHeader", trigger: "a header that is not the expected JSON",
    message: "The checkpoint's header is not a safetensors header: expected a JSON value (at byte 0).",
    call: { _ = try SafetensorsFile(decoding: safetensors("nope")) }),
  CatalogueRow(error: "CheckpointError.unsupportedDType", trigger: "a tensor of a data type not read here",
    message: "Tensor 'a' has data type F16; expected one of F32, F64, I32, I64, U32, BOOL.",
    call: { _ = try SafetensorsFile(decoding: safetensors(#"{"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}"#, [0, 0])) }),
  CatalogueRow(error: "CheckpointError.invalidTensor", trigger: "a tensor whose shape, type and byte range disagree",
    message: "Tensor 'a' is invalid: F32[3] needs 12 bytes, but data_offsets give 8.",
    call: { _ = try SafetensorsFile(decoding: safetensors(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, Array(repeating: 0, count: 8))) }),
  CatalogueRow(error: "CheckpointError.invalidLayout", trigger: "tensors whose bytes overlap or leave holes",
    message: "The checkpoint's data layout is invalid: bytes 4..<8 belong to no tensor.",
    call: { _ = try SafetensorsFile(decoding: safetensors(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, Array(repeating: 0, count: 8))) }),
  CatalogueRow(error: "CheckpointError.keyMismatch", trigger: "loading a file whose tensors are not the model's keys",
    message: "The checkpoint does not match the model; missing from the file: .first, .second; not in the model: a.",
    call: { _ = try SafetensorsFile(decoding: safetensors(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0])).state(matching: moments4.1) }),
  CatalogueRow(error: "CheckpointError.valueMismatch", trigger: "a tensor of another type or shape than the model's value",
    message: "Tensor '.first': expected F32[4], found F32[1].",
    call: {
      let file = try SafetensorsFile(decoding: safetensors(#"{".first":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},".second":{"dtype":"F32","shape":[4],"data_offsets":[4,20]}}"#, Array(repeating: 0, count: 20)))
      _ = try file.state(matching: moments4.1)
    }),
  CatalogueRow(error: "CheckpointError.unsupportedValue", trigger: "saving a value checkpoints cannot store",
    message: "The value at '['name']' has type String, which checkpoints cannot store; store tensors, numbers, booleans, arrays of them, random keys, or StateVisitable structures of these.",
    call: { _ = try SafetensorsFile(state: exportState(["name": StateEntry("text")]).1) }),
  CatalogueRow(error: "CheckpointError.invalidPrefix", trigger: "saving states under a prefix that is empty or holds a slash",
    message: "The prefix 'a/b' cannot name a state in a checkpoint; expected a prefix that is not empty and holds no '/'.",
    call: { try State.save(["a/b": moments4.1], to: "/nonexistent/a.safetensors") }),
  CatalogueRow(error: "CheckpointError.duplicateName", trigger: "a file made of two tensors with one name",
    message: "Two tensors are named '.a'; expected every name of a checkpoint to be unique.",
    call: {
      let entry = SafetensorsFile.Entry(name: ".a", tensor: Float(1).checkpointTensor)
      _ = try SafetensorsFile(entries: [entry, entry])
    }),
  CatalogueRow(error: "CheckpointError.io", trigger: "a file that cannot be read or written",
    message: "Cannot access the checkpoint '/nonexistent/state.safetensors': there is no such file.",
    call: { _ = try State(contentsOf: "/nonexistent/state.safetensors", matching: moments4.1) }),
  // Training
  CatalogueRow(error: "TrainingError.gradientMismatch", trigger: "an optimizer step with gradients for other parameters",
    message: #"The gradients do not match the parameters; no gradient for StateKey(".weight"), StateKey(".bias")."#,
    call: { _ = try SGD(learningRate: 0.1).update(exportParameters(linear34), gradients: State(), state: State()) }),
  CatalogueRow(error: "TrainingError.shapeMismatch", trigger: "a gradient of another shape than its parameter",
    message: #"StateKey(".bias"): expected a gradient of the parameter's shape [4], found [1]."#,
    call: {
      var gradients = StateBuilder()
      gradients.append(try Tensor.zeros([3, 4]), for: StateKey(parsing: ".weight"))
      gradients.append(Tensor([1]), for: StateKey(parsing: ".bias"))
      _ = try SGD(learningRate: 0.1).update(exportParameters(linear34), gradients: gradients.build(), state: State())
    }),
  CatalogueRow(error: "TrainingError.unsupportedValue", trigger: "an optimizer for parameters that are not tensors",
    message: #"StateKey(".scale"): expected a Tensor parameter, found a value of type Float."#,
    call: { _ = try Adam(learningRate: 1e-3).makeState(for: scaleParameters()) }),
  CatalogueRow(error: "TrainingError.stateMismatch", trigger: "an optimizer step with a state another optimizer made",
    message: #"The optimizer state has no step count for StateKey("count"); expected the state this optimizer made for these parameters."#,
    call: {
      let parameters = try exportParameters(linear34)
      _ = try Adam(learningRate: 1e-3).update(parameters, gradients: parameters, state: SGD(learningRate: 0.1).makeState(for: parameters))
    }),
  CatalogueRow(error: "TrainingError.invalidHyperparameter", trigger: "an optimizer with a negative learning rate or a decay outside 0..<1",
    message: "learningRate: expected a finite value of 0 or more, found -1.0.",
    call: { _ = try SGD(learningRate: -1) }),
  // PenzaiGemma
  CatalogueRow(error: "GemmaError.emptyPrompt", trigger: "decoding from a prompt of no tokens",
    message: "Gemma: expected a prompt of at least one token, found none.",
    call: { _ = try GemmaDecoder.prefill(try smallGemma(cacheLength: 4), initialState: try smallGemmaState(cacheLength: 4), prompt: [], padID: 0) }),
  CatalogueRow(error: "GemmaError.tokenOutOfVocabulary", trigger: "a prompt with a token outside the vocabulary",
    message: "Gemma: token 1 of the prompt is 9; expected a token in 0..<8.",
    call: { _ = try GemmaDecoder.prefill(try smallGemma(cacheLength: 4), initialState: try smallGemmaState(cacheLength: 4), prompt: [1, 9], padID: 0) }),
  CatalogueRow(error: "GemmaError.cacheOverflow", trigger: "a prompt longer than the key-value cache",
    message: "Gemma: 5 tokens from position 0 do not fit in a cache of 4; expected at most 4.",
    call: { _ = try GemmaDecoder.prefill(try smallGemma(cacheLength: 4), initialState: try smallGemmaState(cacheLength: 4), prompt: [1, 2, 3, 4, 5], padID: 0) }),
  CatalogueRow(error: "GemmaError.positionCountMismatch", trigger: "inputs without one position per token",
    message: "Gemma: expected 2 token positions, one per token, found 1.",
    call: { _ = try GemmaTransformer(configuration: smallGemmaConfiguration)(GemmaInputs(tokens: [1, 2], positions: [0], attentionMask: try causalMask(queries: [0, 1], keys: 2))) }),
  CatalogueRow(error: "GemmaError.maskShapeMismatch", trigger: "an attention mask of another shape than tokens by keys",
    message: "Gemma: expected an attention mask of shape [2, 2], found [1, 2].",
    call: { _ = try GemmaTransformer(configuration: smallGemmaConfiguration)(GemmaInputs(tokens: [1, 2], positions: [0, 1], attentionMask: try Tensor.zeros([1, 2]))) }),
]

/// A Gemma of one block, 8 tokens and embedding 4, with zero weights: enough to reach its errors.
let smallGemmaConfiguration = GemmaConfiguration(
  headCount: 1, embeddingDimension: 4, projectionDimension: 2, hiddenDimension: 4, blockCount: 1, vocabularySize: 8)

func smallGemma(cacheLength: Int) throws -> GemmaKVCachingTransformer {
  try GemmaKVCachingTransformer.fromUncached(GemmaTransformer(configuration: smallGemmaConfiguration), cacheLength: cacheLength).0
}

func smallGemmaState(cacheLength: Int) throws -> GemmaKVCachingState {
  try GemmaKVCachingTransformer.fromUncached(GemmaTransformer(configuration: smallGemmaConfiguration), cacheLength: cacheLength).1
}

