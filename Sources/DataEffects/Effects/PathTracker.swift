import ExplicitState

/// The path of a walk through a model tree, with the type that owns each field: enough to
/// spell a node's path as Inox and JAX do (`.sublayers[0].accumulator`) and as Penzai names
/// local states (`Sequential.sublayers[0]/ExampleLayerWithAState.accumulator`).
struct PathTracker {
  private(set) var components: [PathComponent] = []
  private var owners: [String?] = []
  private var nodeTypes: [String] = []
  /// The names of the node types met so far, which the walk may use for other purposes.
  var typeNames = TypeNameCache()

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
  ///
  /// Built as bytes and decoded once: appending to a `String` piece by piece cost several
  /// times more, and handling names every state by it.
  var penzaiName: String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(64)
    func append(_ text: String) {
      var text = text
      text.withUTF8 { bytes.append(contentsOf: $0) }
    }
    for (component, owner) in zip(components, owners) {
      if case .field = component, let owner {
        if !bytes.isEmpty { bytes.append(UInt8(ascii: "/")) }
        append(owner)
      }
      switch component {
      case .field(let field):
        bytes.append(UInt8(ascii: "."))
        append(field)
      case .index(let index):
        bytes.append(UInt8(ascii: "["))
        append(String(index))
        bytes.append(UInt8(ascii: "]"))
      case .key, .name:
        append(component.description)
      }
    }
    let name = String(decoding: bytes, as: UTF8.self)
    return name.hasPrefix("/") ? String(name.dropFirst()) : name
  }
}
