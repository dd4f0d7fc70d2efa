/// Pulls the state entries out of a module tree.
///
/// Every `StateEntry` that still holds its value gives its value to the returned state and
/// takes in its place the `StateKey` of its path, so the returned model holds keys where the
/// entries were. The state lists the entries in traversal order (dictionary keys sorted).
///
/// ```swift
/// let (model, state) = try exportState(mlp)
/// print(model.inStats.first)   // StateKey(".inStats.first")
/// ```
///
/// Entries that are already keys are left alone, so exporting an exported model returns the
/// same model and an empty state, as Inox does. The same value at two paths gives two keys.
///
/// Every key prints uniquely and parses back to itself, so an entry whose path holds an empty
/// field name, one with `.`, `[` or `]`, or a name beside other components, is refused rather
/// than given a key that prints as another's. Nodes must be values: a class instance in the
/// tree would have its entries swapped in every model that shares it, so it is refused too.
///
/// - Throws: `StateError.duplicateKey` if two entries have the same path,
///   `StateError.unbalancedTraversal` if a `visitChildren(_:)` implementation exits more or
///   less often than it enters, `StateError.invalidPathComponent` for a path that would not
///   print uniquely, `StateError.referenceTypeNode` for a class instance in the tree, and
///   `StateError.treeTooDeep` below 1,000 levels. The model is left
///   as it was.
/// - Complexity: O(*n*) in the size of the tree.
@inlinable
public func exportState<Model: StateVisitable>(_ model: Model) throws(StateError) -> (Model, State) {
  if Model.self is AnyObject.Type {
    throw .referenceTypeNode(path: "", type: String(reflecting: Model.self))
  }
  var model = model
  var exporter = StateExporter()
  model.visitChildren(&exporter)
  let state = try exporter.makeState()
  return (model, state)
}

/// Bounds on the module trees the state core walks.
@usableFromInline
package enum StateLimits {
  /// The deepest a module tree may be: 1,000 levels, far beyond real models, and far enough
  /// from the call stack's end that a walk of a deeper tree throws instead of overflowing it.
  // Computed and inlinable, so the export's check per node compares with a constant.
  @inlinable package static var maximumDepth: Int { 1_000 }
}

/// The visitor behind `exportState(_:)`.
///
/// It keeps the current path as a stack of components and looks up path numbers only for the
/// prefixes that lead to an entry, so subtrees without state cost a push and a pop.
@usableFromInline
struct StateExporter: StateVisitor {
  @usableFromInline var components: [PathComponent] = []
  /// Path numbers for the first `paths.count` components of `components`.
  @usableFromInline var paths: [Int] = []
  /// The number the next new path is expected to have (see `PathRegistry.extend`).
  @usableFromInline var nextPath = 0
  @usableFromInline var keys: [StateKey] = []
  @usableFromInline var columns = StorageBuilder()
  @usableFromInline var enters = 0
  @usableFromInline var exits = 0
  /// The first reason the export must fail, found during the walk (which cannot throw).
  @usableFromInline var failure: StateError?
  /// Whether the walk must stop: `failure` is set, or the path went deeper than the limit (and
  /// the next node sets `failure`). One byte for the walk to check at every node.
  @usableFromInline var hasFailed = false

  @inlinable
  init() {}

  @inlinable
  mutating func enter(_ component: PathComponent) {
    enters += 1
    components.append(component)
    // Past the deepest a tree may be, the next node refuses to be walked.
    if components.count > StateLimits.maximumDepth { hasFailed = true }
  }

  @inlinable
  mutating func exit() {
    exits += 1
    guard !components.isEmpty else { return }
    if paths.count == components.count { paths.removeLast() }
    components.removeLast()
  }

  @inlinable
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {
    // Taken, not copied: the entry gives up its value, so nothing is retained and released.
    guard let value = entry.initialValue.take() else { return }
    if paths.count < components.count, !PathRegistry.shared.extend(&paths, along: components, next: &nextPath) {
      recordInvalidPath()
      return
    }
    let key = StateKey(pathNumber: paths.last ?? PathRegistry.root, slot: keys.count)
    keys.append(key)
    columns.append(value)
    entry.exportedKey = key
  }

  /// Visits the node's children, unless it is a class instance or too deep.
  // The refusals are out of line, so that the walk stays small enough to inline: the class
  // check is folded where the node's type is known, and the rest is one test of a flag, which
  // `enter(_:)` sets past the deepest a tree may be.
  @inlinable
  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    guard !hasFailed, !(Node.self is AnyObject.Type) else {
      refuse(Node.self)
      return
    }
    node.visitChildren(&self)
  }

  /// Records why a node of type `type` at the current path cannot be exported, unless an
  /// earlier node already failed.
  @usableFromInline @inline(never)
  mutating func refuse(_ type: Any.Type) {
    guard failure == nil else { return }
    hasFailed = true
    if type is AnyObject.Type {
      failure = .referenceTypeNode(path: components.map(\.description).joined(), type: String(reflecting: type))
    } else {
      failure = .treeTooDeep(path: components.prefix(8).map(\.description).joined() + "...", depth: StateLimits.maximumDepth)
    }
  }

  /// Records the first invalid component of the current path.
  @usableFromInline @inline(never)
  mutating func recordInvalidPath() {
    guard failure == nil else { return }
    hasFailed = true
    var parent: PathComponent?
    for (index, component) in components.enumerated() {
      if let expected = component.invalidity(after: parent) {
        failure = .invalidPathComponent(component, parent: components[..<index].map(\.description).joined(), expected: expected)
        return
      }
      parent = component
    }
  }

  @usableFromInline
  func makeState() throws(StateError) -> State {
    if let failure { throw failure }
    guard enters == exits else { throw .unbalancedTraversal(enters: enters, exits: exits) }
    return State(keyTable: try StorageKeyTable.make(keys: keys), values: columns.makeValues())
  }
}
