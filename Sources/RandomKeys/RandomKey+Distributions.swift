import StateKeysSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension RandomKey {
  /// Returns `jax.random.uniform(key, shape, float32, minval, maxval)`, flattened in
  /// row-major order: bit for bit what JAX gives.
  ///
  /// Each float takes the top 23 bits of a random word as the mantissa of a number in
  /// `[1, 2)`, minus one, scaled to the bounds with one fused multiply-add (as XLA compiles
  /// JAX's `floats * (maxval - minval) + minval`), and clamped below at `minimum`.
  ///
  /// - Throws: `RandomKeyError.invalidShape` for a negative dimension, and
  ///   `RandomKeyError.invalidBounds` for bounds that are not finite with `minimum <= maximum`.
  /// - Complexity: O(*n*) for *n* elements.
  public func uniform(
    shape: [Int], minimum: Float = 0, maximum: Float = 1
  ) throws(RandomKeyError) -> [Float] {
    guard let count = elementCount(of: shape) else { throw .invalidShape(shape) }
    guard minimum.isFinite, maximum.isFinite, minimum <= maximum else {
      throw .invalidBounds(minimum: minimum, maximum: maximum)
    }
    return uniformFloats(count: count, minimum: minimum, maximum: maximum)
  }

  @inlinable
  func uniformFloats(count: Int, minimum: Float, maximum: Float) -> [Float] {
    let scale = maximum - minimum
    // XLA fuses `unit * scale + minimum` into one fused multiply-add, so this does too; on
    // [0, 1) both forms are exact, and the plain one is faster where FMA is a library call.
    let fused = !(scale == 1 && minimum == 0)
    return [Float](count: count) { buffer in
      // JAX's recipe: 23 random bits as the mantissa of a float in [1, 2), minus one, scaled.
      let output = DrawOutput(buffer)
      forEachBits(count: count, sixteen: { start, words in
        let bits = (words &>> 9) | SIMD16(repeating: 0x3F80_0000)
        let units = unsafeBitCast(bits, to: SIMD16<Float>.self) - 1
        let values =
          fused ? SIMD16(repeating: minimum).addingProduct(units, SIMD16(repeating: scale)) : units
        // `max(minimum, value)`, lane by lane, with the same choice between -0 and +0.
        output.base.map {
          UnsafeMutableRawPointer($0 + start).storeBytes(
            of: values.replacing(with: minimum, where: values .< minimum), as: SIMD16<Float>.self)
        }
      }, one: { index, bits in
        let unit = Float(bitPattern: (bits >> 9) | 0x3F80_0000) - 1
        output.base?[index] = Swift.max(minimum, fused ? minimum.addingProduct(unit, scale) : unit)
      })
    }
  }

  /// Returns `jax.random.normal(key, shape, float32)`, flattened in row-major order.
  ///
  /// JAX draws `u` uniformly in `(-1, 1)` and returns `√2 · erfinv(u)`, with XLA's
  /// single-precision `erfinv`; this does the same, in the same order, so results agree with
  /// JAX's to within a few units in the last place. They are not always identical because
  /// XLA evaluates `log1p` with its own approximation rather than the C library's.
  ///
  /// - Throws: `RandomKeyError.invalidShape` for a negative dimension.
  /// - Complexity: O(*n*) for *n* elements.
  public func normal(shape: [Int]) throws(RandomKeyError) -> [Float] {
    guard let count = elementCount(of: shape) else { throw .invalidShape(shape) }
    // JAX draws from [nextafter(-1, 0), 1), so erfinv never sees -1.
    let lower = Float(-1).nextUp
    var values = uniformFloats(count: count, minimum: lower, maximum: 1)
    let sqrt2 = Float(2).squareRoot()
    for index in values.indices {
      values[index] = sqrt2 * inverseErrorFunction(values[index])
    }
    return values
  }

  /// Returns `jax.random.bernoulli(key, probability, shape)`, flattened in row-major order:
  /// each element is `uniform < probability`.
  ///
  /// - Throws: `RandomKeyError.invalidShape` for a negative dimension, and
  ///   `RandomKeyError.invalidProbability` for a probability outside `0...1`.
  /// - Complexity: O(*n*) for *n* elements.
  public func bernoulli(probability: Float, shape: [Int]) throws(RandomKeyError) -> [Bool] {
    guard let count = elementCount(of: shape) else { throw .invalidShape(shape) }
    guard probability >= 0, probability <= 1 else { throw .invalidProbability(probability) }
    return uniformFloats(count: count, minimum: 0, maximum: 1).map { $0 < probability }
  }
}

/// XLA's single-precision inverse error function (Giles' polynomial approximation), which JAX
/// uses for `jax.random.normal` on every backend.
@usableFromInline
func inverseErrorFunction(_ x: Float) -> Float {
  if abs(x) == 1 { return x * .infinity }
  var w = -log1pf(-x * x)
  let p: Float
  if w < 5 {
    w -= 2.5
    var q: Float = 2.81022636e-08
    q = 3.43273939e-07 + q * w
    q = -3.5233877e-06 + q * w
    q = -4.39150654e-06 + q * w
    q = 0.00021858087 + q * w
    q = -0.00125372503 + q * w
    q = -0.00417768164 + q * w
    q = 0.246640727 + q * w
    q = 1.50140941 + q * w
    p = q
  } else {
    w = w.squareRoot() - 3
    var q: Float = -0.000200214257
    q = 0.000100950558 + q * w
    q = 0.00134934322 + q * w
    q = -0.00367342844 + q * w
    q = 0.00573950773 + q * w
    q = -0.0076224613 + q * w
    q = 0.00943887047 + q * w
    q = 1.00167406 + q * w
    q = 2.83297682 + q * w
    p = q
  }
  return p * x
}
