/// A hashable, path-based name for one state entry.
///
/// `exportState(_:)` puts a `StateKey` where each `StateEntry` was, and the state it returns
/// maps these keys to the entries' values. A key is its path from the root of the module
/// tree: `.inStats.first`, `.layers[0].first`, `['b']`, or the empty path for an entry at the
/// root. Two keys are equal when their paths are equal, whichever export made them, and every
/// key prints uniquely and parses back to itself: `StateKey(parsing: key.path) == key`.
///
/// ```swift
/// let key = try StateKey([.field("inStats"), .field("first")])
/// print(key)       // StateKey(".inStats.first")
/// print(key.path)  // .inStats.first
/// ```
///
/// A key is two integers: the number of its path, which the process stores once however many
/// keys spell it, and where its value sits in the state it was exported with. Comparing and
/// hashing keys costs O(1), copying them counts no references, and reading a state through a
/// key of its own export costs an array access rather than a hash lookup.
///
/// Stored paths are kept for the life of the process, as a symbol table keeps its symbols:
/// about 50 bytes per path, shared by every export of the same model. A program that makes
/// keys of ever-new paths grows that table by as much for each new path; for names read from
/// untrusted input, `init(existingPath:)` finds the keys that exist and stores nothing.
public struct StateKey: Sendable {
  /// The number of the path in `PathRegistry.shared`.
  @usableFromInline let pathNumber: Int

  /// The position of the value in the state this key was exported with, or -1.
  @usableFromInline let slot: Int

  @inlinable
  init(pathNumber: Int, slot: Int) {
    self.pathNumber = pathNumber
    self.slot = slot
  }

  /// Creates the key for the given path.
  ///
  /// A key is what it prints: a lone `.name` is read as `init(name:)` reads it, so
  /// `[.name("['b']")]` is the key `[.key("b")]`.
  ///
  /// - Throws: `StateError.invalidPathComponent` for a component that would print as
  ///   another path or not parse back: an empty field name, one holding `.`, `[` or `]`, or a
  ///   name beside other components.
  /// - Complexity: O(*n*) expected, where *n* is the length of the path.
  public init(_ components: [PathComponent]) throws(StateError) {
    if components.count == 1, case .name(let name) = components[0] {
      self.init(name: name)
      return
    }
    var parent: PathComponent?
    for (index, component) in components.enumerated() {
      if let expected = component.invalidity(after: parent) {
        throw .invalidPathComponent(component, parent: components[..<index].map(\.description).joined(), expected: expected)
      }
      parent = component
    }
    self.init(pathNumber: PathRegistry.shared.path(of: components), slot: -1)
  }

  /// Creates the key that prints as `name`.
  ///
  /// Penzai names local states by strings such as
  /// `Sequential.sublayers[0]/ExampleLayerWithAState.accumulator`; this key prints as that
  /// string, so a handled model's state shows Penzai's names. A key is what it prints: a name
  /// that is a path in Inox's key syntax is that path, as Penzai's name of a state under a
  /// list (`[1]['k']`) is, so `StateKey(name: "['b']") == StateKey([.key("b")])`. The same as
  /// `init(parsing:)`.
  ///
  /// - Complexity: O(*n*) expected, where *n* is the length of the name.
  public init(name: String) {
    self.init(parsing: name)
  }

  /// The key of an entry at the root of a tree: the empty path.
  public static let root = StateKey(pathNumber: PathRegistry.root, slot: -1)

  /// The steps from the root of the module tree to the entry.
  ///
  /// - Complexity: O(*n*), where *n* is the number of components.
  public var components: [PathComponent] { PathRegistry.shared.components(of: pathNumber) }

  /// The path in Inox's key syntax, such as `.inStats.first` or `['b']`.
  ///
  /// This is the string Inox stores inside its `StateKey`, and the name a checkpoint uses.
  ///
  /// - Complexity: O(*n*), where *n* is the length of the path.
  public var path: String {
    components.map(\.description).joined()
  }
}
