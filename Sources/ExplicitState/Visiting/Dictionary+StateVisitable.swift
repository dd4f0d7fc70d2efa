/// A dictionary key type whose dictionaries are module-tree nodes: `String` and `Int`.
public protocol StateDictionaryKey: Hashable, Comparable {
  /// The path component of a child stored under this key: `['name']` or `[3]`.
  var pathComponent: PathComponent { get }
}

extension String: StateDictionaryKey {
  /// `['name']`, quoted as Python quotes it.
  @inlinable
  public var pathComponent: PathComponent { .key(self) }
}

extension Int: StateDictionaryKey {
  /// `[3]`.
  @inlinable
  public var pathComponent: PathComponent { .index(self) }
}

extension Dictionary: StateVisitable where Key: StateDictionaryKey, Value: StateVisitable {
  /// Visits each value under its key, in sorted key order, as JAX flattens dictionaries.
  ///
  /// A read-only visitor sees a copy of each value, so the dictionary's storage is not copied
  /// when another dictionary shares it.
  ///
  /// - Complexity: O(*n* log *n*) for the sort, plus the children's walks.
  @inlinable
  public mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor) {
    for key in keys.sorted() {
      guard let index = index(forKey: key) else { continue }
      visitor.enter(key.pathComponent)
      if Visitor.isReadOnly {
        var value = values[index]
        value._accept(&visitor)
      } else {
        values[index]._accept(&visitor)
      }
      visitor.exit()
    }
  }
}
