import ExplicitState

/// The path of a walk through a model tree, with the type that owns each field: enough to
/// spell a node's path as Inox and JAX do (`.sublayers[0].accumulator`) and as Penzai names
/// local states (`Sequential.sublayers[0]/ExampleLayerWithAState.accumulator`).
struct PathTracker {
  private(set) var components: [PathComponent] = []
  private var owners: [String?] = []
  private var nodeTypes: [String] = []
  private var typeNames = TypeNameCache()

  mutating func enter(_ component: PathComponent) {
    components.append(component)
    owners.append(nodeTypes.last)
  }

  mutating func exit() {
    guard !components.isEmpty else { return }
    components.removeLast()
    owners.removeLast()
  }

  mutating func enterNode(_ type: Any.Type) {
    nodeTypes.append(typeNames.baseName(type))
  }

  mutating func exitNode() {
    _ = nodeTypes.popLast()
  }

  /// The path in JAX's `keystr` syntax: `.sublayers[2].sideOut`.
  var keyPath: String {
    components.map(\.description).joined()
  }

  /// The path as Penzai's `pretty_keystr` spells it: each field prefixed by `/` and the type
  /// that owns it, the leading `/` dropped.
  var penzaiName: String {
    var name = ""
    for (component, owner) in zip(components, owners) {
      if case .field = component, let owner { name += "/" + owner }
      name += component.description
    }
    return name.hasPrefix("/") ? String(name.dropFirst()) : name
  }
}
