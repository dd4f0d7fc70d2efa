/// The values of one type gathered for a new state, before its trie is built: what export
/// and `StateBuilder` append to.
///
/// This is the base of `ColumnValues<Value>`, which overrides both methods; a builder keeps the
/// columns of its value types in one array as this class, and never makes one of it itself.
@usableFromInline
class ColumnValuesBase {
  /// A column holding the same values, for a builder that was copied.
  @usableFromInline func copy() -> ColumnValuesBase { ColumnValuesBase() }

  /// The column's trie: its root (a `ValueLeaf` or a `StateValues.Node`) and the shift of
  /// its top level, `StateValues.shiftPerLevel` per branch level.
  @usableFromInline func makeTrie() -> (root: AnyObject, shift: Int) { (StateValues.Node.make([]), 0) }

  @usableFromInline init() {}
}

/// The values of type `Value` gathered for a new state, straight into the leaves the state
/// will hold: a value is moved once, into its leaf, and never copied.
///
/// Appending works through pointers to the current leaf's elements and count, kept beside the
/// leaves: the appends of a handler's initial state run in unspecialized code, where each use
/// of `ValueLeaf<Value>` or of an array of it looked up the type's metadata. The storage sits
/// behind a pointer rather than in stored properties, which Swift would check for exclusive
/// access at run time on every append.
@usableFromInline
final class ColumnValues<Value: Sendable>: ColumnValuesBase {
  @usableFromInline
  struct Storage {
    /// The full leaves.
    @usableFromInline var full: [AnyObject] = []
    /// The leaf being filled, which has room for 32 values; a state built from this column
    /// also holds it, and an append then copies it first.
    @usableFromInline var current: AnyObject?
    @usableFromInline var count = 0
    /// The elements and the header (with the count) of the current leaf.
    @usableFromInline var currentElements: UnsafeMutablePointer<Value>?
    @usableFromInline var currentHeader: UnsafeMutablePointer<TrieHeader>?

    @inlinable
    init() {}
  }

  @usableFromInline let storage: UnsafeMutablePointer<Storage>

  @inlinable
  override init() {
    storage = .allocate(capacity: 1)
    storage.initialize(to: Storage())
  }

  deinit {
    storage.deinitialize(count: 1)
    storage.deallocate()
  }

  /// Appends `value` to the current leaf, or to a new one when it is full.
  @inlinable
  func append(_ value: consuming Value) {
    if storage.pointee.count & StateValues.mask == 0 {
      if let full = storage.pointee.current { storage.pointee.full.append(full) }
      makeCurrent(ValueLeaf.makeEmpty(capacity: StateValues.branching))
    } else if !isKnownUniquelyReferenced(&storage.pointee.current), let shared = storage.pointee.current {
      makeCurrent(unsafeDowncast(shared, to: ValueLeaf<Value>.self).copy(capacity: StateValues.branching))
    }
    if let elements = storage.pointee.currentElements, let header = storage.pointee.currentHeader {
      (elements + header.pointee.count).initialize(to: value)
      header.pointee.count += 1
      storage.pointee.count += 1
    }
  }

  /// Makes `leaf` the one appends fill.
  @usableFromInline
  func makeCurrent(_ leaf: ValueLeaf<Value>) {
    storage.pointee.current = leaf
    storage.pointee.currentElements = leaf.elements
    storage.pointee.currentHeader = leaf.withUnsafeMutablePointerToHeader { $0 }
  }

  /// A column sharing these leaves: neither column changes a leaf the other holds, since
  /// appends copy a shared current leaf first, and full leaves never change.
  @usableFromInline override func copy() -> ColumnValuesBase {
    let column = ColumnValues()
    column.storage.pointee = storage.pointee
    return column
  }

  @usableFromInline override func makeTrie() -> (root: AnyObject, shift: Int) {
    var level = storage.pointee.full
    level.append(storage.pointee.current ?? ValueLeaf<Value>.makeEmpty(capacity: 0))
    var shift = 0
    while level.count > 1 {
      level = StateValues.Node.parents(of: level)
      shift += StateValues.shiftPerLevel
    }
    return (level[0], shift)
  }
}

/// Values of any types gathered into columns, one per type, in order of first appearance.
///
/// Appending finds the value's column by comparing type identities: a model holds few value
/// types, and the last column used is tried first. A copy shares the columns' objects until
/// it appends, when the column it appends to is copied, so the builder stays a value; hence
/// `@unchecked Sendable`.
@usableFromInline
struct ColumnsBuilder: @unchecked Sendable {
  @usableFromInline var types: [ObjectIdentifier] = []
  @usableFromInline var columns: [ColumnValuesBase] = []
  /// For each value appended, its column and its position there.
  @usableFromInline var locations: [ValueLocation] = []
  @usableFromInline var lastColumn = 0

  @inlinable
  init() {}

  /// Appends `value` to its type's column.
  ///
  /// - Complexity: Amortized O(1) for the types seen last; O(*t*) in the number of types
  ///   otherwise.
  @inlinable
  mutating func append<Value: Sendable>(_ value: consuming Value) {
    let type = ObjectIdentifier(Value.self)
    var column = lastColumn
    if column >= types.count || types[column] != type {
      if let found = types.firstIndex(of: type) {
        column = found
      } else {
        column = types.count
        types.append(type)
        columns.append(ColumnValues<Value>())
      }
      lastColumn = column
    }
    // A copied builder shares its columns: the first append to one copies it.
    if !isKnownUniquelyReferenced(&columns[column]) { columns[column] = columns[column].copy() }
    let values = unsafeDowncast(columns[column], to: ColumnValues<Value>.self)
    locations.append(ValueLocation(column: column, position: values.storage.pointee.count))
    values.append(value)
  }

  /// The values, as a state's storage.
  ///
  /// - Complexity: O(*n*).
  @usableFromInline
  func makeValues() -> StateValues {
    var roots: [AnyObject] = []
    var shifts: [Int] = []
    for column in columns {
      let (root, shift) = column.makeTrie()
      roots.append(root)
      shifts.append(shift)
    }
    let arrangement = ValueArrangement(locations: locations, columnTypes: types, columnShifts: shifts)
    return StateValues(root: StateValues.Node.make(roots), arrangement: arrangement)
  }
}
