extension StorageTrie {
  /// The ways the placement and the tries break their invariants (see
  /// `State.invariantViolations()`).
  func invariantViolations() -> [String] {
    var problems: [String] = []
    let columns = placement.columnTypes.count
    if placement.columnShifts.count != columns {
      problems.append("\(placement.columnShifts.count) column shifts for \(columns) columns")
      return problems
    }
    if root.count != columns { problems.append("the top node has \(root.count) children for \(columns) columns") }
    // Each column's positions are 0..<n, each used by one slot.
    var positions = Array(repeating: Set<Int>(), count: columns)
    for (slot, location) in placement.locations.enumerated() {
      guard location.column < columns else {
        problems.append("slot \(slot) is in column \(location.column) of \(columns)")
        continue
      }
      if !positions[location.column].insert(location.position).inserted {
        problems.append("slot \(slot) shares position \(location.position) of column \(location.column)")
      }
    }
    let lastToken = EditToken.lastIssued
    for column in 0..<min(columns, root.count) {
      let count = positions[column].count
      if positions[column] != Set(0..<count) { problems.append("column \(column)'s positions are not 0..<\(count)") }
      let shift = placement.columnShifts[column]
      if shift % Self.shiftPerLevel != 0 || count > Self.branching << shift {
        problems.append("column \(column) has shift \(shift) for \(count) values")
        continue
      }
      checkSubtree(
        root.elements[column], shift: shift, count: count, type: placement.columnTypes[column], lastToken: lastToken,
        where: "column \(column)", into: &problems)
    }
    return problems
  }

  /// Checks the subtree `object` of `count` values, at `shift`.
  private func checkSubtree(
    _ object: AnyObject, shift: Int, count: Int, type: ObjectIdentifier, lastToken: Int, where place: String,
    into problems: inout [String]
  ) {
    guard shift > 0 else {
      guard let leaf = erasedLeaf(object) else {
        problems.append("\(place): a node where a leaf belongs")
        return
      }
      if leaf.valueType != type { problems.append("\(place): a leaf of \(leaf.valueTypeName) in another type's column") }
      if leaf.header.count != count { problems.append("\(place): a leaf of \(leaf.header.count) values, expected \(count)") }
      if leaf.header.owner > lastToken { problems.append("\(place): a leaf stamped \(leaf.header.owner), a token not given out") }
      return
    }
    guard let node = object as? Node else {
      problems.append("\(place): a leaf where a node belongs, at shift \(shift)")
      return
    }
    let span = 1 << shift
    let children = (count + span - 1) / span
    if node.count != children { problems.append("\(place): a node of \(node.count) children, expected \(children)") }
    if node.owner > lastToken { problems.append("\(place): a node stamped \(node.owner), a token not given out") }
    for child in 0..<min(children, node.count) {
      checkSubtree(
        node.elements[child], shift: shift - Self.shiftPerLevel, count: min(span, count - child * span), type: type,
        lastToken: lastToken, where: "\(place)[\(child)]", into: &problems)
    }
  }
}
