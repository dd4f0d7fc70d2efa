/// The parameters of a model (its weights, not its state), keyed by path.
///
/// A module lists its parameters with `visitor.visitParameter("weight", &weight)` in
/// `visitChildren(_:)`. The keys are paths in Inox's syntax (`.l1.weight`), so a checkpoint of
/// parameters names them as Inox's `Module.partition` does, less its `.value` suffix.
///
/// - Throws: `StateError.duplicateKey` if two parameters have the same path, and
///   `StateError.invalidPathComponent` for a path that would not print uniquely.
/// - Complexity: O(*n*) in the size of the tree.
@inlinable
public func exportParameters<Model: StateVisitable>(_ model: Model) throws(StateError) -> State {
  var collector = ParameterCollector()
  var copy = model
  collector.visitNode(&copy)
  if let failure = collector.failure { throw failure }
  guard collector.enters == collector.exits else {
    throw .unbalancedTraversal(enters: collector.enters, exits: collector.exits)
  }
  return try collector.builder.build()
}

/// Puts parameters back into a model: the inverse of `exportParameters(_:)`.
///
/// Every parameter of the model must have a value of its type in `parameters`, and every
/// key of `parameters` must be a parameter of the model.
///
/// - Throws: `StateError.keyMismatch` listing the missing and extra keys,
///   `StateError.typeMismatch` when a value's type differs from the parameter's, and
///   `StateError.invalidPathComponent` for a path that would not print uniquely.
/// - Complexity: O(*n*) in the size of the tree.
@inlinable
public func importParameters<Model: StateVisitable>(_ model: Model, _ parameters: State) throws(StateError) -> Model {
  var importer = ParameterImporter(parameters: parameters)
  var result = model
  importer.visitNode(&result)
  if let error = importer.firstTypeError { throw error }
  let extra = zip(parameters.keys, importer.used).compactMap { $1 ? nil : $0 }
  guard importer.missing.isEmpty, extra.isEmpty else { throw .keyMismatch(missing: importer.missing, extra: extra) }
  return result
}

/// The visitor behind `exportParameters(_:)`.
@usableFromInline
struct ParameterCollector: StateVisitor {
  @usableFromInline var components: [PathComponent] = []
  @usableFromInline var builder = StateBuilder()
  @usableFromInline var enters = 0
  @usableFromInline var exits = 0
  @usableFromInline var failure: StateError?

  @inlinable init() {}

  @inlinable
  mutating func enter(_ component: PathComponent) {
    enters += 1
    components.append(component)
  }

  @inlinable
  mutating func exit() {
    exits += 1
    if !components.isEmpty { components.removeLast() }
  }

  @inlinable
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {}

  @inlinable
  mutating func visitParameter<Value: Sendable>(_ parameter: inout Value) {
    do {
      builder.append(parameter, for: try StateKey(components))
    } catch {
      if failure == nil { failure = error }
    }
  }
}

/// The visitor behind `importParameters(_:_:)`.
@usableFromInline
struct ParameterImporter: StateVisitor {
  @usableFromInline let parameters: State
  @usableFromInline var components: [PathComponent] = []
  @usableFromInline var used: [Bool]
  @usableFromInline var missing: [StateKey] = []
  @usableFromInline var firstTypeError: StateError?

  @inlinable
  init(parameters: State) {
    self.parameters = parameters
    used = Array(repeating: false, count: parameters.count)
  }

  @inlinable
  mutating func enter(_ component: PathComponent) { components.append(component) }

  @inlinable
  mutating func exit() { if !components.isEmpty { components.removeLast() } }

  @inlinable
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {}

  @inlinable
  mutating func visitParameter<Value: Sendable>(_ parameter: inout Value) {
    let key: StateKey
    do {
      key = try StateKey(components)
    } catch {
      if firstTypeError == nil { firstTypeError = error }
      return
    }
    guard let slot = parameters.keyTable.slot(of: key) else {
      missing.append(key)
      return
    }
    used[slot] = true
    do {
      parameter = try parameters.value(for: key, as: Value.self)
    } catch {
      if firstTypeError == nil { firstTypeError = error }
    }
  }
}
