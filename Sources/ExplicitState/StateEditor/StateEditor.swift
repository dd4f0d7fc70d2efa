/// Exclusive access to a state's values for many writes in a row: what `State.edit(_:)` lends.
///
/// ```swift
/// try state.edit { editor in
///   for parameter in model.parameters {
///     try editor.modify(parameter) { $0 *= 0.5 }
///   }
/// }
/// ```
///
/// `State.modify(_:_:)` asks, at every level of the state's storage and for every write,
/// whether that part is shared with another state, since a copy of the state may have been
/// made since the last write. An editor holds the state exclusively for its scope, so it asks
/// once per part of the storage it writes through, and remembers the leaves it has made its
/// own: later writes to a value in such a leaf go straight to it. This is the counterpart of a
/// loop over an `inout` array, whose uniqueness check the compiler makes once before the
/// loop. Writes through an editor follow the copy-on-write rules of `State.modify(_:_:)`, so
/// states that share storage with the edited one never see its changes.
///
/// An editor cannot be copied or kept: it exists only inside `edit(_:)`'s closure.
public struct StateEditor: ~Copyable, @unchecked Sendable {
  /// One line of the cache of owned leaves: the leaf's key plus one, and its elements; an
  /// empty line has key 0, which no leaf has, and points anywhere.
  @usableFromInline
  struct LeafLine {
    @usableFromInline var key: Int
    @usableFromInline var elements: UnsafeMutableRawPointer

    @inlinable
    init(key: Int, elements: UnsafeMutableRawPointer) {
      self.key = key
      self.elements = elements
    }
  }

  /// The number of lines of the leaf cache, a power of two: 64 leaves, 2,048 values.
  @usableFromInline static let leafLines = 64

  /// The state being edited; never lent out, so nothing can share what the edit stamped.
  @usableFromInline var state = State()
  /// The edit's token, stamped on the parts of the storage it has made its own.
  @usableFromInline let owner: Int
  /// The type of every value, when the state stores one type with its positions in slot
  /// order (`StoragePlacement.onlyColumnType`).
  @usableFromInline var onlyColumnType: ObjectIdentifier?
  /// A direct-mapped cache of the leaves this edit owns, by the leaf's key: its location
  /// shifted past the position within the leaf. An owned leaf stays where it is until the
  /// edit ends, so a line never goes stale. Behind a pointer, which the editor owns alone
  /// (hence `@unchecked Sendable`), so that lookups pay no exclusivity checks.
  @usableFromInline let leaves: UnsafeMutablePointer<LeafLine>

  @usableFromInline
  init(owner: Int) {
    self.owner = owner
    let leaves = UnsafeMutablePointer<LeafLine>.allocate(capacity: Self.leafLines)
    leaves.initialize(repeating: LeafLine(key: 0, elements: UnsafeMutableRawPointer(leaves)), count: Self.leafLines)
    self.leaves = leaves
  }

  deinit {
    leaves.deallocate()
  }

  /// Readies the editor for the state it now holds: its top node unique, its only type noted.
  @usableFromInline
  mutating func begin() {
    state.values.makeTopUnique()
    onlyColumnType = state.values.placement.onlyColumnType
  }

  /// Changes the value of an exported entry in place, and returns what `body` returns.
  ///
  /// - Throws: `StateError.unexportedEntry` if the entry still holds its value,
  ///   `StateError.unknownKey` if the state lacks its key, `StateError.typeMismatch` if the
  ///   stored value is not a `Value`, and whatever `body` throws (the value then keeps what
  ///   `body` did to it before throwing).
  /// - Complexity: O(1) plus `body` for a value whose leaf the edit has written to lately;
  ///   otherwise O(log₃₂ *n*), and O(32) more per shared level the first time through it.
  @inlinable @inline(__always)
  public mutating func modify<Value: Sendable, Result>(
    _ entry: StateEntry<Value>, _ body: (inout Value) throws -> Result
  ) throws -> Result {
    try body(&value(at: try state.slot(of: entry), as: Value.self).pointee)
  }

  /// The value at `slot`, for writing.
  ///
  /// - Throws: `StateError.typeMismatch` if it is not a `Value`.
  @inlinable @inline(__always)
  mutating func value<Value: Sendable>(at slot: Int, as type: Value.Type) throws(StateError) -> UnsafeMutablePointer<Value> {
    let location: StorageLocation
    if let onlyColumnType {
      guard onlyColumnType == ObjectIdentifier(Value.self) else { throw state.typeMismatch(at: slot, writing: Value.self) }
      location = StorageLocation(column: 0, position: slot)
    } else {
      guard state.values.holds(Value.self, at: slot) else { throw state.typeMismatch(at: slot, writing: Value.self) }
      location = state.values.placement.locations[slot]
    }
    let key = location.packed &>> StorageTrie.shiftPerLevel
    let line = leaves + (key & (Self.leafLines - 1))
    if line.pointee.key != key &+ 1 {
      Self.fill(line, key: key, location: location, in: state.values, as: Value.self, owner: owner)
    }
    return line.pointee.elements.assumingMemoryBound(to: Value.self) + (location.position & StorageTrie.mask)
  }

  /// Makes the leaf of `location` the edit's, and puts it in `line`.
  // Out of line: it runs once per leaf the cache lacks, and inlined it would crowd each write.
  // Static, taking the values it needs, so that callers know the editor is unchanged.
  @inlinable @inline(never)
  static func fill<Value: Sendable>(
    _ line: UnsafeMutablePointer<LeafLine>, key: Int, location: StorageLocation, in values: StorageTrie, as type: Value.Type, owner: Int
  ) {
    let elements = values.ownedLeaf(column: location.column, position: location.position, as: Value.self, owner: owner)
    line.pointee = LeafLine(key: key &+ 1, elements: UnsafeMutableRawPointer(elements))
  }

  /// The value of an exported entry.
  ///
  /// - Throws: `StateError.unexportedEntry` if the entry still holds its value,
  ///   `StateError.missingKey` if the state lacks its key, and `StateError.typeMismatch` if
  ///   the stored value is not a `Value`.
  /// - Complexity: O(log₃₂ *n*).
  @inlinable
  public subscript<Value: Sendable>(entry: StateEntry<Value>) -> Value {
    get throws(StateError) { try state[entry] }
  }
}

extension State {
  /// Calls `body` with exclusive access to this state's values, for many writes in a row, and
  /// returns what it returns.
  ///
  /// ```swift
  /// try state.edit { editor in
  ///   for entry in entries { try editor.modify(entry) { $0 += 1 } }
  /// }
  /// ```
  ///
  /// Each write through the editor is `modify(_:_:)`'s, without asking again whether the
  /// storage it has written through before is shared. The changes are this state's when
  /// `body` returns or throws.
  ///
  /// - Throws: whatever `body` throws; the writes it made before stay.
  /// - Complexity: O(1) plus `body`, and O(*c*) in the number of value types if this state
  ///   shares its storage.
  @inlinable
  public mutating func edit<Result>(_ body: (inout StateEditor) throws -> Result) rethrows -> Result {
    var editor = StateEditor(owner: EditToken.next())
    swap(&self, &editor.state)
    defer { swap(&self, &editor.state) }
    editor.begin()
    return try body(&editor)
  }
}
