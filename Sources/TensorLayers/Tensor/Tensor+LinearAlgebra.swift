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
  var result = [Float](repeating: 0, count: try Tensor.elementCount(shape.isEmpty ? [] : [m, n]))
  result.withUnsafeMutableBufferPointer { out in
    lhs.scalars.withUnsafeBufferPointer { a in
      rhs.scalars.withUnsafeBufferPointer { b in
        for i in 0..<m {
          for p in 0..<k {
            let scale = a[i * k + p]
            for j in 0..<n { out[i * n + j] += scale * b[p * n + j] }
          }
        }
      }
    }
  }
  return Tensor(uncheckedShape: shape, scalars: result)
}
