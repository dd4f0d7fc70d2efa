import DataEffects
import ExplicitState

/// A node of the tree the page shows: a module, a container, an entry, a parameter, an effect
/// slot or a handler, with the field it sits in.
struct ViewNode {
  enum Kind {
    case node
    /// A state entry: its key once exported, its value before.
    case entry(key: StateKey?, initialValue: (any Sendable)?)
    case parameter(any Sendable)
    /// An effect slot: its effect, its handler (when handled), and how it prints.
    case slot(EffectKind, handlerID: HandlerID?, description: String)
    case handler(id: HandlerID, effect: EffectKind?)
  }

  /// The path components from the parent to this node, as text: `.norm`, `[0]`.
  var label: String
  var typeName: String
  var kind: Kind
  var children: [ViewNode] = []
}

/// Walks a model and records its tree, reading only.
struct TreeRecorder: StateVisitor {
  static var isReadOnly: Bool { true }

  /// The nodes being visited, the root first.
  var stack: [ViewNode] = [ViewNode(label: "", typeName: "", kind: .node)]
  var path: [PathComponent] = []
  /// How many components of `path` the nodes visited so far have taken as their labels.
  var consumed = 0

  mutating func enter(_ component: PathComponent) { path.append(component) }

  mutating func exit() {
    path.removeLast()
    consumed = min(consumed, path.count)
  }

  /// The components entered since the last node, as its label.
  mutating func takeLabel() -> String {
    let label = path[consumed...].map(\.description).joined()
    consumed = path.count
    return label
  }

  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {
    stack[stack.count - 1].kind = .entry(key: entry.key, initialValue: entry.value)
  }

  mutating func visitParameter<Value: Sendable>(_ parameter: inout Value) {
    stack[stack.count - 1].children.append(
      ViewNode(label: takeLabel(), typeName: shortTypeName(of: parameter), kind: .parameter(parameter)))
  }

  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    if node is AnyLayer {
      node.visitChildren(&self)
      return
    }
    let label = takeLabel()
    let typeName = shortTypeName(String(describing: Node.self))
    if let slot = node as? any EffectSlot {
      stack[stack.count - 1].children.append(
        ViewNode(label: label, typeName: typeName, kind: .slot(slot.effectKind, handlerID: slot.handlerID, description: slot.structureDescription)))
      return
    }
    var kind = ViewNode.Kind.node
    if let handler = node as? any EffectHandler {
      kind = .handler(id: handler.handlerID, effect: handledEffect(tag: type(of: handler).handlerTag))
    }
    stack.append(ViewNode(label: label, typeName: typeName, kind: kind))
    node.visitChildren(&self)
    let finished = stack.removeLast()
    stack[stack.count - 1].children.append(finished)
  }

  /// The recorded tree of `model`.
  static func tree<Model: StateVisitable>(of model: Model) -> ViewNode {
    var recorder = TreeRecorder()
    var copy = model
    recorder.visitNode(&copy)
    return recorder.stack[0].children.first ?? ViewNode(label: "", typeName: shortTypeName(String(describing: Model.self)), kind: .node)
  }
}
