import ExplicitState

extension Tensor: CustomStateSummaryConvertible {
  /// The element type and shape, as Inox's `prepr` shows arrays: `Float[16, 64]`.
  public var stateSummary: String {
    "Float[" + shape.map(String.init).joined(separator: ", ") + "]"
  }
}
