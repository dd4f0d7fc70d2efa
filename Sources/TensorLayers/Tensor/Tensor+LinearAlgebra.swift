import Dispatch

/// The matrix product of `lhs` and `rhs`, as `lhs @ rhs` in NumPy, for ranks 1 and 2.
///
/// `[m, k] @ [k, n]` is `[m, n]`; a vector on the left, `[k] @ [k, n]`, gives `[n]`; a vector
/// on the right, `[m, k] @ [k]`, gives `[m]`; two vectors give their dot product, `[]`.
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
  let result = lhs.scalars.withUnsafeBufferPointer { a in
    rhs.scalars.withUnsafeBufferPointer { b in
      [Float](unsafeUninitializedCapacity: count) { out, initialized in
        multiply(a, b, into: out, m: m, k: k, n: n)
        initialized = count
      }
    }
  }
  return Tensor(uncheckedShape: shape, scalars: result)
}

/// The multiply-adds above which `multiply` splits the rows among the cores (below it,
/// starting threads costs more than it saves), and about how many each band of rows does.
private let parallelWork = 1 << 22

/// `out = a · b` for row-major `a` (`m` × `k`), `b` (`k` × `n`) and `out` (`m` × `n`).
///
/// Blocks of 4 rows by 8 columns of `out` are summed in registers (`SIMD8<Float>`), each
/// element over `p` in order, so the result is bit-identical to the textbook loop; large
/// products split their rows among the cores.
private func multiply(
  _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>,
  m: Int, k: Int, n: Int
) {
  assert(a.count == m * k && b.count == k * n && out.count == m * n, "matrix sizes")
  guard let a = a.baseAddress, let b = b.baseAddress, let out = out.baseAddress else { return }
  guard m * k * n >= parallelWork, m >= 8 else {
    multiplyRows(a, b, out, rows: 0..<m, k: k, n: n)
    return
  }
  let (aAddress, bAddress, outAddress) = (UInt(bitPattern: a), UInt(bitPattern: b), UInt(bitPattern: out))
  // Bands of whole 4-row blocks, each about `parallelWork / 4` multiply-adds.
  let rowsPerBand = max(4, (parallelWork / 4 / max(1, k * n) + 3) / 4 * 4)
  let bands = (m + rowsPerBand - 1) / rowsPerBand
  DispatchQueue.concurrentPerform(iterations: bands) { band in
    let rows = min(m, band * rowsPerBand)..<min(m, (band + 1) * rowsPerBand)
    // The bands write disjoint rows of `out`; the pointers outlive the call.
    multiplyRows(
      UnsafePointer(bitPattern: aAddress).unsafelyUnwrapped, UnsafePointer(bitPattern: bAddress).unsafelyUnwrapped,
      UnsafeMutablePointer(bitPattern: outAddress).unsafelyUnwrapped, rows: rows, k: k, n: n)
  }
}

/// The rows `rows` of `out = a · b`.
private func multiplyRows(
  _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Range<Int>, k: Int, n: Int
) {
  let columns = n / 8 * 8
  var i = rows.lowerBound
  while i + 4 <= rows.upperBound {
    var j = 0
    while j < columns {
      var (c0, c1, c2, c3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
      for p in 0..<k {
        let row = UnsafeRawPointer(b + p * n + j).loadUnaligned(as: SIMD8<Float>.self)
        c0 += SIMD8(repeating: a[i * k + p]) * row
        c1 += SIMD8(repeating: a[(i + 1) * k + p]) * row
        c2 += SIMD8(repeating: a[(i + 2) * k + p]) * row
        c3 += SIMD8(repeating: a[(i + 3) * k + p]) * row
      }
      UnsafeMutableRawPointer(out + i * n + j).storeBytes(of: c0, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(out + (i + 1) * n + j).storeBytes(of: c1, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(out + (i + 2) * n + j).storeBytes(of: c2, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(out + (i + 3) * n + j).storeBytes(of: c3, as: SIMD8<Float>.self)
      j += 8
    }
    for row in i..<(i + 4) { multiplyTail(a, b, out, row: row, columns: columns..<n, k: k, n: n) }
    i += 4
  }
  while i < rows.upperBound {
    var j = 0
    while j < columns {
      var c = SIMD8<Float>()
      for p in 0..<k {
        c += SIMD8(repeating: a[i * k + p]) * UnsafeRawPointer(b + p * n + j).loadUnaligned(as: SIMD8<Float>.self)
      }
      UnsafeMutableRawPointer(out + i * n + j).storeBytes(of: c, as: SIMD8<Float>.self)
      j += 8
    }
    multiplyTail(a, b, out, row: i, columns: columns..<n, k: k, n: n)
    i += 1
  }
}

/// The elements `columns` of row `row` of `out = a · b`, one at a time.
private func multiplyTail(
  _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, row: Int, columns: Range<Int>,
  k: Int, n: Int
) {
  for j in columns {
    var sum: Float = 0
    for p in 0..<k { sum += a[row * k + p] * b[p * n + j] }
    out[row * n + j] = sum
  }
}
