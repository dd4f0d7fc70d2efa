/// The values of one type gathered for a new state, before its trie is built: what export
/// and `StateBuilder` append to.
@usableFromInline
class ColumnValuesBase {
  /// The number of values.
  @usableFromInline var count: Int { 0 }

  /// A column holding the same values, for a builder that was copied.
  @usableFromInline func copy() -> ColumnValuesBase { self }

  /// The column's trie: its root (a `ValueLeaf` or a `StateValues.Node`) and the shift of
  /// its top level, `StateValues.shiftPerLevel` per branch level.
  @usableFromInline func makeTrie() -> (root: AnyObject, shift: Int) { (self, 0) }

  @usableFromInline init() {}
}

/// The values of type `Value` gathered for a new state, straight into the leaves the state
/// will hold: a value is moved once, into its leaf, and never copied.
///
/// Appending works through pointers to the last leaf's elements and count, kept beside the
/// leaves: the appends of a handler's initial state run in unspecialized code, where each use
/// of `ValueLeaf<Value>` or of an array of it looked up the type's metadata. The storage sits
/// behind a pointer rather than in stored properties, which Swift would check for exclusive
/// access at run time on every append.
@usableFromInline
final class ColumnValues<Value: Sendable>: ColumnValuesBase {
  @usableFromInline
  struct Storage {
    /// The full leaves, then the one being filled, which has room for 32 values.
    @usableFromInline var leaves: [AnyObject] = []
    @usableFromInline var count = 0
    /// The elements and the count of the last leaf.
    @usableFromInline var lastElements: UnsafeMutablePointer<Value>?
    @usableFromInline var lastCount: UnsafeMutablePointer<Int>?
    /// Whether a state built from this column holds the last leaf, which appends must then
    /// copy first.
    @usableFromInline var lastIsShared = false

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

  @usableFromInline override var count: Int { storage.pointee.count }

  /// Appends `value` to the last leaf, or to a new one when it is full.
  @inlinable
  func append(_ value: consuming Value) {
    if storage.pointee.count & StateValues.mask == 0 {
      startLeaf(ValueLeaf.makeEmpty(capacity: StateValues.branching), replacingLast: false)
    } else if storage.pointee.lastIsShared, let last = storage.pointee.leaves.last {
      startLeaf(unsafeDowncast(last, to: ValueLeaf<Value>.self).copy(capacity: StateValues.branching), replacingLast: true)
    }
    if let elements = storage.pointee.lastElements, let count = storage.pointee.lastCount {
      (elements + count.pointee).initialize(to: value)
      count.pointee += 1
      storage.pointee.count += 1
    }
  }

  /// Makes `leaf` the one appends fill.
  @usableFromInline
  func startLeaf(_ leaf: ValueLeaf<Value>, replacingLast: Bool) {
    if replacingLast { storage.pointee.leaves.removeLast() }
    storage.pointee.leaves.append(leaf)
    storage.pointee.lastElements = leaf.elements
    storage.pointee.lastCount = leaf.withUnsafeMutablePointerToHeader { $0 }
    storage.pointee.lastIsShared = false
  }

  @usableFromInline override func copy() -> ColumnValuesBase {
    let column = ColumnValues()
    for leaf in storage.pointee.leaves {
      column.startLeaf(unsafeDowncast(leaf, to: ValueLeaf<Value>.self).copy(capacity: StateValues.branching), replacingLast: false)
    }
    column.storage.pointee.count = storage.pointee.count
    return column
  }

  @usableFromInline override func makeTrie() -> (root: AnyObject, shift: Int) {
    storage.pointee.lastIsShared = true
    var level = storage.pointee.leaves
    if level.isEmpty { level = [ValueLeaf<Value>.makeEmpty(capacity: 0)] }
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
  /// For each value appended, its column and its position there: `column << 32 | position`.
  @usableFromInline var locations: [Int] = []
  @usableFromInline var lastColumn = 0

  @inlinable
  init() {}

  /// Appends `value` to its type's column.
  ///
  /// - Complexity: Amortized O(1) for the types seen last; O(*t*) in the number of types
  ///   otherwise.
  @inlinable
  mutating func append<Value: Sendable>(_ value: Value) {
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
    locations.append(column << 32 | values.storage.pointee.count)
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
