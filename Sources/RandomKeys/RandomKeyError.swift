#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An error thrown for an invalid seed, count or shape; each message says what was given.
public enum RandomKeyError: Error, Hashable, Sendable {
  /// A negative number of keys, or more than half of `maximumDrawCount`.
  case invalidCount(Int)
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
    case .invalidCount(let count):
      return "split(into:): expected a count of zero or more keys, at most half of maximumDrawCount, found \(count)."
    case .invalidShape(let shape):
      return "expected a shape of non-negative dimensions of at most maximumDrawCount elements, "
        + "found \(shape)."
    case .invalidProbability(let p):
      return "bernoulli: expected a probability in 0...1, found \(p)."
    case .invalidBounds(let minimum, let maximum):
      return "uniform: expected finite bounds with minimum <= maximum, found \(minimum)..<\(maximum)."
    }
  }
}

/// The most numbers one draw may ask for: as many 4-byte numbers as half this machine's
/// physical memory holds (at most 2⁴⁰), so that a shape the machine could not hold throws
/// instead of failing to allocate, which would end the process.
public let maximumDrawCount = min(1 << 40, physicalMemoryBytes / 2 / 4)

/// The machine's physical memory in bytes, or 2⁴⁴ where the system does not say.
let physicalMemoryBytes: Int = {
  let pages = sysconf(Int32(_SC_PHYS_PAGES))
  let pageSize = sysconf(Int32(_SC_PAGESIZE))
  guard pages > 0, pageSize > 0 else { return 1 << 44 }
  let (bytes, overflow) = pages.multipliedReportingOverflow(by: pageSize)
  return overflow ? Int.max : bytes
}()

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
