extension State: Equatable {
  /// Whether two states have the same keys, in the same order, with equal values.
  ///
  /// Values are compared with their own `==`, so two values are equal only if they have the
  /// same type and that type is `Equatable`. A state holding a value whose type is not
  /// `Equatable` equals no state, itself included, as `Float.nan` equals no number.
  ///
  /// - Complexity: O(*n*) value comparisons.
  public static func == (lhs: State, rhs: State) -> Bool {
    guard lhs.keys == rhs.keys else { return false }
    for key in lhs.keys {
      guard let left = try? lhs.anyValue(for: key), let right = try? rhs.anyValue(for: key),
        let comparable = left as? any Equatable, comparable.isEqual(to: right)
      else { return false }
    }
    return true
  }
}

extension Equatable {
  /// Whether `other` is a value of this type equal to this one.
  fileprivate func isEqual(to other: Any) -> Bool {
    guard let other = other as? Self else { return false }
    return self == other
  }
}
