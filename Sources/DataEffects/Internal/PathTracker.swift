import ExplicitState

/// The path of a walk through a model tree, with the type that owns each field: enough to
/// spell a node's path as Inox and JAX do (`.sublayers[0].accumulator`) and as Penzai names
/// local states (`Sequential.sublayers[0]/ExampleLayerWithAState.accumulator`).
struct PathTracker {
  private(set) var components: [PathComponent] = []
  private var nodeTypes: [String] = []
  /// The Penzai name of the current path, as UTF-8, kept as the walk goes: a walk that names
  /// every state would otherwise spell each path from the root.
  private var nameBytes: [UInt8] = []
  /// The length of `nameBytes` before each component was entered.
  private var nameLengths: [Int] = []
  /// The names of the node types met so far, which the walk may use for other purposes.
  var typeNames = TypeNameCache()

  mutating func enter(_ component: PathComponent) {
    components.append(component)
    nameLengths.append(nameBytes.count)
    if case .field = component, let owner = nodeTypes.last {
      if !nameBytes.isEmpty { nameBytes.append(UInt8(ascii: "/")) }
      appendToName(owner)
    }
    switch component {
    case .field(let field):
      nameBytes.append(UInt8(ascii: "."))
      appendToName(field)
    case .index(let index):
      nameBytes.append(UInt8(ascii: "["))
      appendToName(String(index))
      nameBytes.append(UInt8(ascii: "]"))
    case .key, .name:
      appendToName(component.description)
    }
  }

  private mutating func appendToName(_ text: String) {
    var text = text
    text.withUTF8 { nameBytes.append(contentsOf: $0) }
  }

  mutating func exit() {
    guard !components.isEmpty else { return }
    components.removeLast()
    nameBytes.removeSubrange(nameLengths.removeLast()...)
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
    let name = String(decoding: nameBytes, as: UTF8.self)
    return name.hasPrefix("/") ? String(name.dropFirst()) : name
  }
}
