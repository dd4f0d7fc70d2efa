/// An operation applied to every state entry of a module tree.
///
/// A visitor is told the path as the walk goes down (`enter(_:)`) and comes back up
/// (`exit()`), and gets `inout` access to each entry. `exportState(_:)` and
/// `importState(_:_:)` are visitors; write your own to collect, count or rewrite entries.
public protocol StateVisitor {
  /// The walk moves down to the child named by `component`.
  mutating func enter(_ component: PathComponent)

  /// The walk moves back up from the child it last entered.
  mutating func exit()

  /// The walk reached an entry, which the visitor may read or replace.
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>)

  /// The walk reached a parameter of a module: a value that is not state, such as a weight.
  ///
  /// The default ignores it. `exportParameters(_:)` and `importParameters(_:_:)` implement it.
  mutating func visitParameter<Value: Sendable>(_ parameter: inout Value)

  /// Whether the visitor only reads what it visits, never changing a node or an entry.
  ///
  /// A walk gives every visitor `inout` access, and a container whose storage another tree
  /// shares must copy that storage before handing it out for writing: a read-only walk of a
  /// copied tree would copy the tree. Containers that can, such as arrays, show a visitor
  /// that says it only reads a copy of each child instead, which copies nothing shared. What
  /// such a visitor writes may be lost. The default is `false`.
  static var isReadOnly: Bool { get }

  /// The walk reached a node of the tree: a module, a container or an entry.
  ///
  /// The default visits the node's children. Implement it to see nodes by their type, or to
  /// replace them: the data-effects layer finds effect requests and handlers this way.
  mutating func visitNode<Node: StateVisitable>(_ node: inout Node)
}

extension StateVisitor {
  /// `false`: the visitor may change what it visits.
  @inlinable
  public static var isReadOnly: Bool { false }

  /// Ignores the parameter.
  @inlinable
  public mutating func visitParameter<Value: Sendable>(_ parameter: inout Value) {}

  /// Visits the parameter stored under `name`, such as a layer's `weight`.
  ///
  /// Call it from `visitChildren(_:)` for each parameter, with the property's name, so that
  /// `exportParameters(_:)` finds it.
  @inlinable
  public mutating func visitParameter<Value: Sendable>(_ name: String, _ parameter: inout Value) {
    enter(.field(name))
    visitParameter(&parameter)
    exit()
  }

  /// Visits the node's children.
  @inlinable
  public mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    node.visitChildren(&self)
  }

  /// Visits a child that has no name of its own, such as the payload of an enum case, at the
  /// current path: its entries and fields take no component for it.
  ///
  /// Use it rather than calling `child.visitChildren(&visitor)` yourself, which would hide the
  /// child's node from the visitor: Penzai-style names would then give the enclosing type as
  /// the owner of the child's fields, and walks that look for nodes by type, such as
  /// `hoistConstantSideInputs`, would pass over it.
  ///
  /// ```swift
  /// enum Block: StateVisitable {
  ///   case dense(Linear)
  ///   case stateful(Moments)
  ///
  ///   mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
  ///     guard case .stateful(var moments) = self else { return }
  ///     visitor.visit(unnamed: &moments)
  ///     self = .stateful(moments)
  ///   }
  /// }
  /// ```
  @inlinable @inline(__always)
  public mutating func visit<Child: StateVisitable>(unnamed child: inout Child) {
    child._accept(&self)
  }

  /// Visits the child stored under `name`: a field of the module being visited.
  ///
  /// Call it once per child from `visitChildren(_:)`, with the property's name.
  // Always inlined, so that the child's `_accept(_:)` is compiled with the child's type known.
  @inlinable @inline(__always)
  public mutating func visit<Child: StateVisitable>(_ name: String, _ child: inout Child) {
    enter(.field(name))
    child._accept(&self)
    exit()
  }
}
