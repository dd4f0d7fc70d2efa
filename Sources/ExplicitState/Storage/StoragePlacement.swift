/// Where each slot's value lives in a state's storage: which column, one per value type, and
/// where in it.
///
/// Updates never change a value's type, so the placement is made once, with the state, and
/// shared by every state derived from it.
@usableFromInline
final class StoragePlacement: Sendable {
  /// For each slot, where its value is.
  @usableFromInline let locations: [StorageLocation]
  /// The type of each column's values.
  @usableFromInline let columnTypes: [ObjectIdentifier]
  /// The shift of each column's top level: `StorageTrie.shiftPerLevel` per branch level.
  @usableFromInline let columnShifts: [Int]
  /// The type of every value when all have one type and each slot's position is the slot
  /// itself, as export and `StateBuilder` place them; `nil` otherwise. An edit then finds a
  /// value's place without reading `locations`.
  @usableFromInline let onlyColumnType: ObjectIdentifier?

  /// The placement of no values.
  @usableFromInline static let empty = StoragePlacement(locations: [], columnTypes: [], columnShifts: [])

  @usableFromInline
  init(locations: [StorageLocation], columnTypes: [ObjectIdentifier], columnShifts: [Int]) {
    self.locations = locations
    self.columnTypes = columnTypes
    self.columnShifts = columnShifts
    let positionsAreSlots = locations.indices.allSatisfy { locations[$0] == StorageLocation(column: 0, position: $0) }
    self.onlyColumnType = columnTypes.count == 1 && positionsAreSlots ? columnTypes[0] : nil
  }
}
