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
}

extension StateVisitor {
  /// Visits the child stored under `name`: a field of the module being visited.
  ///
  /// Call it once per child from `visitChildren(_:)`, with the property's name.
  @inlinable
  public mutating func visit<Child: StateVisitable>(_ name: String, _ child: inout Child) {
    enter(.field(name))
    child.visitChildren(&self)
    exit()
  }
}
