import ExplicitState

/// Selects nodes of a model tree, to edit them: Penzai's `pz.select`.
///
/// ```swift
/// let probed = try select(mlp).at(instancesOf: Elementwise.self).insert(after: TellIntermediate())
/// ```
///
/// `select(_:)` selects the root; `at(instancesOf:)` and `at(where:)` select the outermost
/// matching nodes below it. A layer stored as `AnyLayer` (in a `Sequential`) is matched as
/// the layer it wraps.
public func select<Root: StateVisitable>(_ root: Root) -> Selection<Root> {
  Selection(root: root, matches: nil)
}

/// Nodes selected in a tree, and the edits that return a new tree: Penzai's `Selection`.
public struct Selection<Root: StateVisitable> {
  /// The tree the nodes are selected in.
  public let root: Root
  let matches: ((Any) -> Bool)?

  /// Selects the outermost nodes of type `type`.
  public func at<T>(instancesOf type: T.Type) -> Selection {
    Selection(root: root, matches: { $0 is T })
  }

  /// Selects the outermost nodes for which `predicate` is true.
  public func at(where predicate: @escaping (Any) -> Bool) -> Selection {
    Selection(root: root, matches: predicate)
  }

  /// The selected nodes, in walk order.
  ///
  /// - Complexity: O(*n*) in the size of the tree.
  public var selectedValues: [Any] {
    guard let matches else { return [root] }
    var collector = SelectionCollector(matches: matches)
    var copy = root
    collector.visitNode(&copy)
    return collector.found
  }

  /// The number of selected nodes.
  public var count: Int { selectedValues.count }

  /// The tree with every selected node replaced by `value`.
  ///
  /// - Throws: `EffectError.invalidSelection` when a selected node cannot hold a `T`.
  public func set<T>(to value: T) throws -> Root {
    try apply { (_: Any) in value }
  }

  /// The tree with every selected node replaced by `transform` of it.
  ///
  /// - Throws: `EffectError.invalidSelection` when a selected node is not a `T`, or the
  ///   result cannot stand where the node was; and whatever `transform` throws.
  public func apply<T, U>(_ transform: (T) throws -> U) throws -> Root {
    guard let matches else {
      guard let node = root as? T, let result = try transform(node) as? Root else {
        throw EffectError.invalidSelection("The root, a \(type(of: root)), cannot be replaced by the transform's result.")
      }
      return result
    }
    return try withoutActuallyEscaping(transform) { transform in
      var editor = SelectionEditor(matches: matches, edit: .replace { node in
        guard let typed = node as? T else {
          throw EffectError.invalidSelection("A selected \(type(of: node)) is not a \(T.self).")
        }
        return try transform(typed)
      })
      return try editor.run(on: root)
    }
  }

  /// The tree with `layer` inserted before each selected layer, which must be elements of a
  /// `Sequential`.
  ///
  /// - Throws: `EffectError.invalidSelection` naming a selected node outside a `Sequential`.
  public func insert(before layer: some Layer) throws -> Root {
    try edited(.insertBefore(AnyLayer(layer)))
  }

  /// The tree with `layer` inserted after each selected layer, which must be elements of a
  /// `Sequential`.
  ///
  /// - Throws: `EffectError.invalidSelection` naming a selected node outside a `Sequential`.
  public func insert(after layer: some Layer) throws -> Root {
    try edited(.insertAfter(AnyLayer(layer)))
  }

  /// The tree without the selected layers, which must be elements of a `Sequential`.
  ///
  /// - Throws: `EffectError.invalidSelection` naming a selected node outside a `Sequential`.
  public func remove() throws -> Root {
    try edited(.remove)
  }

  private func edited(_ edit: SelectionEditor.Edit) throws -> Root {
    guard let matches else {
      throw EffectError.invalidSelection("Select layers inside a Sequential (with at(instancesOf:) or at(where:)) to insert or remove.")
    }
    var editor = SelectionEditor(matches: matches, edit: edit)
    return try editor.run(on: root)
  }
}

/// The value a node is matched as: the wrapped layer of an `AnyLayer`, else the node.
func selectableValue(_ node: Any) -> Any {
  (node as? AnyLayer)?.base ?? node
}

/// Collects the outermost matching nodes.
struct SelectionCollector: SlotVisitor {
  let matches: (Any) -> Bool
  var found: [Any] = []

  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    let value = selectableValue(node)
    if matches(value) {
      found.append(value)
      return
    }
    node.visitChildren(&self)
  }
}

/// Applies one edit to the outermost matching nodes.
struct SelectionEditor: StateVisitor {
  enum Edit {
    case replace((Any) throws -> Any)
    case insertBefore(AnyLayer)
    case insertAfter(AnyLayer)
    case remove
  }

  let matches: (Any) -> Bool
  let edit: Edit
  var path = PathTracker()
  var error: Error?

  mutating func run<Root: StateVisitable>(on root: Root) throws -> Root {
    var result = root
    visitNode(&result)
    if let error { throw error }
    return result
  }

  mutating func enter(_ component: PathComponent) { path.enter(component) }
  mutating func exit() { path.exit() }
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {}

  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    guard error == nil else { return }
    if case .replace(let transform) = edit {
      let value = selectableValue(node)
      if matches(value) {
        replace(&node, value: value, transform: transform)
        return
      }
    } else if var sequential = node as? Sequential {
      editSublayers(of: &sequential)
      if let edited = sequential as? Node { node = edited }
      return
    } else if !(node is AnyLayer), matches(selectableValue(node)) {
      error = EffectError.invalidSelection(
        "The selected \(type(of: selectableValue(node))) at '\(path.keyPath)' is not an element of a Sequential; "
          + "only a Sequential's layers can have layers inserted around them or be removed.")
      return
    }
    path.enterNode(Node.self)
    node.visitChildren(&self)
    path.exitNode()
  }

  private mutating func replace<Node>(_ node: inout Node, value: Any, transform: (Any) throws -> Any) {
    do {
      let result = try transform(value)
      if node is AnyLayer, let layer = result as? any Layer, let wrapped = AnyLayer(erasing: layer) as? Node {
        node = wrapped
      } else if let replacement = result as? Node {
        node = replacement
      } else {
        error = EffectError.invalidSelection(
          "A \(type(of: result)) cannot replace the \(type(of: value)) at '\(path.keyPath)'.")
      }
    } catch {
      self.error = error
    }
  }

  private mutating func editSublayers(of sequential: inout Sequential) {
    path.enterNode(Sequential.self)
    path.enter(.field("sublayers"))
    var edited: [AnyLayer] = []
    for (index, layer) in sequential.sublayers.enumerated() {
      guard matches(layer.base) else {
        var layer = layer
        path.enter(.index(index))
        visitNode(&layer)
        path.exit()
        edited.append(layer)
        continue
      }
      switch edit {
      case .insertBefore(let inserted): edited += [inserted, layer]
      case .insertAfter(let inserted): edited += [layer, inserted]
      case .remove, .replace: break
      }
    }
    path.exit()
    path.exitNode()
    sequential.sublayers = edited
  }
}
