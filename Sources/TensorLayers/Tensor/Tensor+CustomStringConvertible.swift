extension Tensor: CustomStringConvertible {
  /// The shape and the elements, shortened past eight: `Tensor([3], [0.5, -1.0, 2.0])`.
  public var description: String {
    let shown = scalars.count <= 8
      ? scalars.map { "\($0)" }.joined(separator: ", ")
      : (scalars.prefix(4).map { "\($0)" } + ["…"] + scalars.suffix(2).map { "\($0)" })
        .joined(separator: ", ")
    return "Tensor(\(shape), [\(shown)])"
  }
}
