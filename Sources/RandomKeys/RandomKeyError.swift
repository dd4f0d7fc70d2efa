/// An error thrown for an invalid seed, count or shape; each message says what was given.
public enum RandomKeyError: Error, Hashable, Sendable {
  /// A negative number of keys.
  case negativeCount(Int)
  /// A shape with a negative dimension, or of more than `maximumDrawCount` elements.
  case invalidShape([Int])
  /// A Bernoulli probability outside `0...1`, or not a number.
  case invalidProbability(Float)
  /// Bounds of a uniform draw that are not finite with `minimum <= maximum`.
  case invalidBounds(minimum: Float, maximum: Float)
}

extension RandomKeyError: CustomStringConvertible {
  /// A sentence naming what was expected and what was given.
  public var description: String {
    switch self {
    case .negativeCount(let count):
      return "split(into:): expected a count of zero or more keys, found \(count)."
    case .invalidShape(let shape):
      return "expected a shape of non-negative dimensions whose product fits in an Int, "
        + "found \(shape)."
    case .invalidProbability(let p):
      return "bernoulli: expected a probability in 0...1, found \(p)."
    case .invalidBounds(let minimum, let maximum):
      return "uniform: expected finite bounds with minimum <= maximum, found \(minimum)..<\(maximum)."
    }
  }
}

/// The most numbers one draw may ask for: 2⁴⁰, far beyond any memory, so that a shape no
/// machine could hold throws instead of failing to allocate.
public let maximumDrawCount = 1 << 40

/// The number of elements of `shape`, or nil when a dimension is negative, it overflows, or it
/// exceeds `maximumDrawCount`.
@usableFromInline
func elementCount(of shape: [Int]) -> Int? {
  var count = 1
  for dimension in shape {
    guard dimension >= 0 else { return nil }
    if dimension == 0 { return shape.allSatisfy { $0 >= 0 } ? 0 : nil }
    let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
    guard !overflow, product <= maximumDrawCount else { return nil }
    count = product
  }
  return count
}
