/// Where each slot's value lives in a state's storage: which column, one per value type, and
/// where in it.
///
/// Updates never change a value's type, so the arrangement is made once, with the state, and
/// shared by every state derived from it.
@usableFromInline
final class ValueArrangement: Sendable {
  /// For each slot: `column << 32 | position`.
  @usableFromInline let locations: [Int]
  /// The type of each column's values.
  @usableFromInline let columnTypes: [ObjectIdentifier]
  /// The shift of each column's top level: `StateValues.shiftPerLevel` per branch level.
  @usableFromInline let columnShifts: [Int]

  /// The arrangement of no values.
  @usableFromInline static let empty = ValueArrangement(locations: [], columnTypes: [], columnShifts: [])

  @usableFromInline
  init(locations: [Int], columnTypes: [ObjectIdentifier], columnShifts: [Int]) {
    self.locations = locations
    self.columnTypes = columnTypes
    self.columnShifts = columnShifts
  }
}
