import StateKeysSupport

/// Values of any types gathered into columns, one per type, in order of first appearance.
///
/// Appending finds the value's column by comparing type identities: a model holds few value
/// types, and the last column used is tried first. A copy shares the columns' objects until
/// it appends, when the column it appends to is copied, so the builder stays a value; hence
/// `@unchecked Sendable`.
@usableFromInline
struct StorageBuilder: @unchecked Sendable {
  @usableFromInline var types: [ObjectIdentifier] = []
  @usableFromInline var columns: [StorageColumnBase] = []
  /// For each value appended, its column and its position there.
  @usableFromInline var locations: [StorageLocation] = []
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
        columns.append(StorageColumn<Value>())
      }
      lastColumn = column
    }
    // A copied builder shares its columns: the first append to one copies it.
    if !isKnownUniquelyReferenced(&columns[column]) { columns[column] = columns[column].copy() }
    let values = unsafeDowncast(columns[column], to: StorageColumn<Value>.self)
    locations.append(StorageLocation(column: column, position: values.storage.pointee.count))
    values.append(value)
  }

  /// The values, as a state's storage.
  ///
  /// - Complexity: O(*n*).
  @usableFromInline
  func makeValues() -> StorageTrie {
    var roots: [AnyObject] = []
    var shifts: [Int] = []
    for column in columns {
      let (root, shift) = column.makeTrie()
      roots.append(root)
      shifts.append(shift)
    }
    let placement = StoragePlacement(locations: locations, columnTypes: types, columnShifts: shifts)
    return StorageTrie(root: StorageTrie.Node.make(roots), placement: placement)
  }
}
