extension RandomKey: CustomStringConvertible {
  /// The key's words, as JAX prints key data: `RandomKey([0, 42])`.
  public var description: String { "RandomKey([\(data.0), \(data.1)])" }
}
