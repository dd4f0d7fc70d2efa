/// Builds a state from keys and values, for code that makes states without exporting a tree.
///
/// The data-effects layer builds the state of a handled model this way, and a checkpoint
/// reader builds the state it loads.
///
/// ```swift
/// var builder = StateBuilder()
/// builder.append(Float(0), for: StateKey(name: "shared"))
/// let state = try builder.build()
/// ```
public struct StateBuilder: Sendable {
  @usableFromInline var keys: [StateKey] = []
  @usableFromInline var columns = StorageBuilder()

  /// An empty builder.
  public init() {}

  /// The number of entries appended so far.
  package var count: Int { keys.count }

  /// Appends an entry; the state lists entries in the order they are appended.
  ///
  /// - Complexity: Amortized O(1).
  @inlinable
  public mutating func append<Value: Sendable>(_ value: consuming Value, for key: StateKey) {
    keys.append(StateKey(pathNumber: key.pathNumber, slot: keys.count))
    columns.append(value)
  }

  /// The state of the appended entries.
  ///
  /// - Throws: `StateError.duplicateKey` for the first key appended twice.
  /// - Complexity: O(*n*).
  public func build() throws(StateError) -> State {
    State(keyTable: try StorageKeyTable.make(keys: keys), values: columns.makeValues())
  }
}
