import Dispatch
import StateKeysSupport

/// The matrix product of `lhs` and `rhs`, as `lhs @ rhs` in NumPy, for ranks 1 and 2.
///
/// `[m, k] @ [k, n]` is `[m, n]`; a vector on the left, `[k] @ [k, n]`, gives `[n]`; a vector
/// on the right, `[m, k] @ [k]`, gives `[m]`; two vectors give their dot product, `[]`.
///
/// Each element is summed over `k` in order: bit for bit the textbook loop's sum (with fused
/// multiply-adds when the package is built with `-D STATEKEYS_FMA`, see Performance.md).
///
/// - Throws: `TensorError.incompatibleShapes` when the inner dimensions differ or a rank is
///   not 1 or 2, and `TensorError.invalidShape` for a result of more than
///   `Tensor.maximumElementCount` elements.
/// - Complexity: O(*m* · *k* · *n*).
public func matmul(_ lhs: Tensor, _ rhs: Tensor) throws(TensorError) -> Tensor {
  guard (1...2).contains(lhs.rank), (1...2).contains(rhs.rank) else {
    throw .incompatibleShapes(operation: "matmul", lhs.shape, rhs.shape)
  }
  let m = lhs.rank == 2 ? lhs.shape[0] : 1
  let k = lhs.shape[lhs.rank - 1]
  let n = rhs.rank == 2 ? rhs.shape[1] : 1
  guard rhs.shape[0] == k else {
    throw .incompatibleShapes(operation: "matmul", lhs.shape, rhs.shape)
  }
  var shape: [Int] = []
  if lhs.rank == 2 { shape.append(m) }
  if rhs.rank == 2 { shape.append(n) }
  let count = try Tensor.elementCount(shape.isEmpty ? [] : [m, n])
  let result = lhs.storage.withUnsafeBufferPointer { a in
    rhs.storage.withUnsafeBufferPointer { b in
      [Float](count: count) { out in
        multiply(MatrixOperand(a, rowStride: k, columnStride: 1), b, into: out, m: m, k: k, n: n)
      }
    }
  }
  return Tensor(uncheckedShape: shape, scalars: result)
}

extension Tensor {
  /// `selfᵀ · other` for matrices `self` (`k` × `m`) and `other` (`k` × `n`), with no
  /// transpose made: the kernel reads `self` down its columns. A weight's gradient, `xᵀ · g`.
  ///
  /// - Complexity: O(*m* · *k* · *n*).
  func transposedProduct(with other: Tensor) -> Tensor {
    assert(rank == 2 && other.rank == 2 && shape[0] == other.shape[0], "transposedProduct shapes")
    let (k, m, n) = (shape[0], shape[1], other.shape[1])
    let result = storage.withUnsafeBufferPointer { a in
      other.storage.withUnsafeBufferPointer { b in
        [Float](count: m * n) { out in
          multiply(MatrixOperand(a, rowStride: 1, columnStride: m), b, into: out, m: m, k: k, n: n)
        }
      }
    }
    return Tensor(uncheckedShape: [m, n], scalars: result)
  }
}

/// The left operand of a product: element (`row`, `column`) is at
/// `base[row * rowStride + column * columnStride]`, so a matrix and its transpose are read
/// alike.
struct MatrixOperand {
  let base: UnsafePointer<Float>?
  let rowStride: Int
  let columnStride: Int
  let count: Int

  init(_ buffer: UnsafeBufferPointer<Float>, rowStride: Int, columnStride: Int) {
    base = buffer.baseAddress
    count = buffer.count
    self.rowStride = rowStride
    self.columnStride = columnStride
  }
}

/// The multiply-adds above which `multiply` splits the rows among the cores (below it,
/// starting threads costs more than it saves), and about how many each band of rows does.
private let parallelWork = 1 << 22

/// `out = a · b` for `a` (`m` × `k`, as `MatrixOperand` places it), row-major `b` (`k` × `n`)
/// and row-major `out` (`m` × `n`).
///
/// Blocks of 4 rows by 8 columns of `out` are summed in registers (`SIMD8<Float>`), each
/// element over `p` in order, so the result is bit-identical to the textbook loop; large
/// products split their rows among the cores.
private func multiply(
  _ a: MatrixOperand, _ b: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>, m: Int, k: Int, n: Int
) {
  assert(out.count == m * n && b.count == k * n, "matrix sizes")
  assert(m == 0 || k == 0 || (m - 1) * a.rowStride + (k - 1) * a.columnStride < a.count, "left operand bounds")
  guard k > 0, let aBase = a.base, let b = b.baseAddress, let out = out.baseAddress else {
    // An empty operand: the sums are all zero (or there are none).
    for i in 0..<out.count { out[i] = 0 }
    return
  }
  // The last `n % 8` columns of `b`, padded with zeros to 8 a row, so that they too are
  // summed eight lanes at a time; the padding's lanes are never stored.
  let columns = n / 8 * 8
  var padded: [Float] = []
  if columns < n {
    padded = [Float](repeating: 0, count: k * 8)
    for p in 0..<k {
      for j in columns..<n { padded[p * 8 + (j - columns)] = b[p * n + j] }
    }
  }
  return padded.withUnsafeBufferPointer { tail in
    multiply(aBase, a.rowStride, a.columnStride, b, columns < n ? tail.baseAddress : nil, into: out, m: m, k: k, n: n)
  }
}

/// `multiply(_:_:into:m:k:n:)` with its operands as pointers, and `tail` the padded last
/// columns of `b` (`nil` when `n` is a multiple of 8).
private func multiply(
  _ aBase: UnsafePointer<Float>, _ rowStride: Int, _ columnStride: Int, _ b: UnsafePointer<Float>, _ tail: UnsafePointer<Float>?,
  into out: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int
) {
  guard m &* k &* n >= parallelWork, m >= 8 else {
    multiplyRows(aBase, rowStride, columnStride, b, tail, out, rows: 0..<m, k: k, n: n)
    return
  }
  let (aAddress, bAddress, outAddress) = (UInt(bitPattern: aBase), UInt(bitPattern: b), UInt(bitPattern: out))
  let tailAddress = tail.map { UInt(bitPattern: $0) }
  // Two bands of whole 4-row blocks per core: each about half a core's share.
  let rowsPerBand = max(4, (m + 3) / 4 / 4 * 4)
  let bands = (m + rowsPerBand - 1) / rowsPerBand
  DispatchQueue.concurrentPerform(iterations: bands) { band in
    let rows = min(m, band * rowsPerBand)..<min(m, (band + 1) * rowsPerBand)
    // The bands write disjoint rows of `out`; the pointers outlive the call.
    multiplyRows(
      UnsafePointer(bitPattern: aAddress).unsafelyUnwrapped, rowStride, columnStride,
      UnsafePointer(bitPattern: bAddress).unsafelyUnwrapped, tailAddress.flatMap { UnsafePointer(bitPattern: $0) },
      UnsafeMutablePointer(bitPattern: outAddress).unsafelyUnwrapped, rows: rows, k: k, n: n)
  }
}

/// `sum + x · y`: fused when built with `STATEKEYS_FMA` (for a CPU that has the instruction),
/// else a product then a sum, as the textbook loop computes it.
@inline(__always)
private func multiplyAdd(_ sum: SIMD8<Float>, _ x: SIMD8<Float>, _ y: SIMD8<Float>) -> SIMD8<Float> {
  #if STATEKEYS_FMA
    sum.addingProduct(x, y)
  #else
    sum + x * y
  #endif
}

/// The rows `rows` of `out = a · b`, where `a`'s element (i, p) is at
/// `a[i · rowStride + p · columnStride]`.
private func multiplyRows(
  _ a: UnsafePointer<Float>, _ rowStride: Int, _ columnStride: Int, _ b: UnsafePointer<Float>, _ tail: UnsafePointer<Float>?,
  _ out: UnsafeMutablePointer<Float>, rows: Range<Int>, k: Int, n: Int
) {
  assert((tail != nil) == (n % 8 != 0), "a padded tail exactly when the columns are not a multiple of 8")
  let columns = n / 8 * 8
  var i = rows.lowerBound
  while i &+ 4 <= rows.upperBound {
    let a0 = a + i &* rowStride
    let (a1, a2, a3) = (a0 + rowStride, a0 + 2 &* rowStride, a0 + 3 &* rowStride)
    var j = 0
    #if STATEKEYS_FMA
      // With 256-bit registers (a build for a CPU with fused multiply-adds has them), blocks of
      // 16 columns: two loads of `b` feed eight multiply-adds instead of four.
      while j &+ 16 <= columns {
        var (c0, c1, c2, c3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        var (d0, d1, d2, d3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        var column = b + j
        var offset = 0
        for _ in 0..<k {
          let left = UnsafeRawPointer(column).loadUnaligned(as: SIMD8<Float>.self)
          let right = UnsafeRawPointer(column + 8).loadUnaligned(as: SIMD8<Float>.self)
          let (x0, x1, x2, x3) = (SIMD8(repeating: a0[offset]), SIMD8(repeating: a1[offset]), SIMD8(repeating: a2[offset]), SIMD8(repeating: a3[offset]))
          c0 = multiplyAdd(c0, x0, left)
          d0 = multiplyAdd(d0, x0, right)
          c1 = multiplyAdd(c1, x1, left)
          d1 = multiplyAdd(d1, x1, right)
          c2 = multiplyAdd(c2, x2, left)
          d2 = multiplyAdd(d2, x2, right)
          c3 = multiplyAdd(c3, x3, left)
          d3 = multiplyAdd(d3, x3, right)
          column += n
          offset &+= columnStride
        }
        let target = out + (i &* n &+ j)
        for (row, (c, d)) in [(c0, d0), (c1, d1), (c2, d2), (c3, d3)].enumerated() {
          UnsafeMutableRawPointer(target + row &* n).storeBytes(of: c, as: SIMD8<Float>.self)
          UnsafeMutableRawPointer(target + (row &* n &+ 8)).storeBytes(of: d, as: SIMD8<Float>.self)
        }
        j &+= 16
      }
    #endif
    while j < columns {
      var (c0, c1, c2, c3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
      var column = b + j
      var offset = 0
      for _ in 0..<k {
        let row = UnsafeRawPointer(column).loadUnaligned(as: SIMD8<Float>.self)
        c0 = multiplyAdd(c0, SIMD8(repeating: a0[offset]), row)
        c1 = multiplyAdd(c1, SIMD8(repeating: a1[offset]), row)
        c2 = multiplyAdd(c2, SIMD8(repeating: a2[offset]), row)
        c3 = multiplyAdd(c3, SIMD8(repeating: a3[offset]), row)
        column += n
        offset &+= columnStride
      }
      let target = out + (i &* n &+ j)
      UnsafeMutableRawPointer(target).storeBytes(of: c0, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(target + n).storeBytes(of: c1, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(target + 2 &* n).storeBytes(of: c2, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(target + 3 &* n).storeBytes(of: c3, as: SIMD8<Float>.self)
      j &+= 8
    }
    if let tail {
      var (c0, c1, c2, c3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
      var offset = 0
      for p in 0..<k {
        let row = UnsafeRawPointer(tail + p &* 8).loadUnaligned(as: SIMD8<Float>.self)
        c0 = multiplyAdd(c0, SIMD8(repeating: a0[offset]), row)
        c1 = multiplyAdd(c1, SIMD8(repeating: a1[offset]), row)
        c2 = multiplyAdd(c2, SIMD8(repeating: a2[offset]), row)
        c3 = multiplyAdd(c3, SIMD8(repeating: a3[offset]), row)
        offset &+= columnStride
      }
      for (r, c) in [c0, c1, c2, c3].enumerated() {
        for j in columns..<n { out[(i &+ r) &* n &+ j] = c[j &- columns] }
      }
    }
    i &+= 4
  }
  while i < rows.upperBound {
    let a0 = a + i &* rowStride
    var j = 0
    while j < columns {
      var c = SIMD8<Float>()
      var column = b + j
      var offset = 0
      for _ in 0..<k {
        c = multiplyAdd(c, SIMD8(repeating: a0[offset]), UnsafeRawPointer(column).loadUnaligned(as: SIMD8<Float>.self))
        column += n
        offset &+= columnStride
      }
      UnsafeMutableRawPointer(out + (i &* n &+ j)).storeBytes(of: c, as: SIMD8<Float>.self)
      j &+= 8
    }
    if let tail {
      var c = SIMD8<Float>()
      var offset = 0
      for p in 0..<k {
        c = multiplyAdd(c, SIMD8(repeating: a0[offset]), UnsafeRawPointer(tail + p &* 8).loadUnaligned(as: SIMD8<Float>.self))
        offset &+= columnStride
      }
      for j in columns..<n { out[i &* n &+ j] = c[j &- columns] }
    }
    i &+= 1
  }
}
