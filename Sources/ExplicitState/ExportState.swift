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
/// - Throws: `StateError.duplicateKey` if two entries have the same path, and
///   `StateError.unbalancedTraversal` if a `visitChildren(_:)` implementation exits more or
///   less often than it enters: both are bugs in a conformance, never in the data.
/// - Complexity: O(*n*) in the size of the tree.
@inlinable
public func exportState<Model: StateVisitable>(_ model: Model) throws(StateError) -> (Model, State) {
  var model = model
  var exporter = StateExporter()
  model.visitChildren(&exporter)
  let state = try exporter.makeState()
  return (model, state)
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
  @usableFromInline var columns = ColumnsBuilder()
  @usableFromInline var enters = 0
  @usableFromInline var exits = 0

  @inlinable
  init() {}

  @inlinable
  mutating func enter(_ component: PathComponent) {
    enters += 1
    components.append(component)
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
    if paths.count < components.count { PathRegistry.shared.extend(&paths, along: components, next: &nextPath) }
    let key = StateKey(pathNumber: paths.last ?? PathRegistry.root, slot: keys.count)
    keys.append(key)
    columns.append(value)
    entry.exportedKey = key
  }

  @usableFromInline
  func makeState() throws(StateError) -> State {
    guard enters == exits else { throw .unbalancedTraversal(enters: enters, exits: exits) }
    return State(layout: try StateLayout.make(keys: keys), values: columns.makeValues())
  }
}
