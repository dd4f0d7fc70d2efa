// Loops over the rows of a row-major `[rows, columns]` block of floats: what the fused layers
// (Linear's bias, BatchNorm's statistics) and their derivatives are made of. Each inner loop
// runs along a row, so it vectorizes.

/// The sum of each column over the rows, summed in row order.
func columnSums(_ values: UnsafeBufferPointer<Float>, columns: Int) -> [Float] {
  assert(columns > 0 && values.count % columns == 0, "whole rows")
  var sums = [Float](repeating: 0, count: columns)
  sums.withUnsafeMutableBufferPointer { out in
    var start = 0
    while start < values.count {
      for j in 0..<columns { out[j] += values[start &+ j] }
      start &+= columns
    }
  }
  return sums
}

/// Adds `row` to each row of `values`, in place.
func addRow(_ row: UnsafeBufferPointer<Float>, to values: UnsafeMutableBufferPointer<Float>) {
  let columns = row.count
  assert(columns > 0 && values.count % columns == 0, "whole rows")
  var start = 0
  while start < values.count {
    for j in 0..<columns { values[start &+ j] += row[j] }
    start &+= columns
  }
}

extension Tensor {
  /// The tensor's elements as `[rows, columns]` with `columns` its last dimension, or `nil`
  /// for a scalar or an empty last dimension.
  var rowLength: Int? {
    guard let last = shape.last, last > 0 else { return nil }
    return last
  }
}
