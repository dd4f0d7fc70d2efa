#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Android)
  import Android
#endif
import _Differentiation

/// The logarithm of the softmax along the last axis, as `jax.nn.log_softmax`:
/// `x − max(x) − log Σ exp(x − max(x))` for each row.
///
/// - Complexity: O(*n*).
@differentiable(reverse)
public func logSoftmax(_ x: Tensor) -> Tensor {
  logSoftmaxValue(x)
}

/// The rows' log-softmax, computed as optax and JAX compute it.
func logSoftmaxValue(_ x: Tensor) -> Tensor {
  guard let classes = x.shape.last, classes > 0 else { return x }
  var result = x.storage
  result.withUnsafeMutableBufferPointer { row in
    var start = 0
    while start < row.count {
      var maximum = -Float.infinity
      for i in start..<(start + classes) { maximum = max(maximum, row[i]) }
      var sum: Float = 0
      for i in start..<(start + classes) {
        row[i] -= maximum
        sum += expf(row[i])
      }
      let logSum = logf(sum)
      for i in start..<(start + classes) { row[i] -= logSum }
      start += classes
    }
  }
  return Tensor(uncheckedShape: x.shape, scalars: result)
}

@derivative(of: logSoftmax)
@usableFromInline
func _vjpLogSoftmax(_ x: Tensor) -> (value: Tensor, pullback: (Tensor.TangentVector) -> Tensor.TangentVector) {
  let value = logSoftmaxValue(x)
  return (value, { gradient in
    guard let g = gradient.tensor, g.shape == value.shape, let classes = value.shape.last, classes > 0 else { return .zero }
    // dx = g − softmax(x) · Σ g, row by row.
    var result = g.storage
    result.withUnsafeMutableBufferPointer { out in
      value.storage.withUnsafeBufferPointer { y in
        var start = 0
        while start < out.count {
          var total: Float = 0
          for i in start..<(start + classes) { total += out[i] }
          for i in start..<(start + classes) { out[i] -= expf(y[i]) * total }
          start += classes
        }
      }
    }
    return Tensor.TangentVector(Tensor(uncheckedShape: value.shape, scalars: result))
  })
}

/// The softmax cross-entropy of each row of `logits` with its class label, as optax's
/// `softmax_cross_entropy_with_integer_labels`: `log Σ exp(x − max x) − (x[label] − max x)`.
///
/// `logits` has shape `[batch, classes]` and `labels` holds `batch` labels in `0..<classes`;
/// the result has shape `[batch]`. Take its `mean()` for the usual loss.
///
/// ```swift
/// let loss = softmaxCrossEntropy(logits: logits, labels: labels).mean()
/// ```
///
/// A shape that is not `[labels.count, classes]` is deferred as
/// `TensorError.incompatibleShapes`, and a label out of range as `TensorError.invalidLabel`
/// (see `withDeferredErrors(_:)`).
///
/// - Complexity: O(*n*) in the size of `logits`.
@differentiable(reverse, wrt: logits)
public func softmaxCrossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
  softmaxCrossEntropyValue(logits, labels).value
}

/// The losses, and the softmax of each row for the gradient; `nil` rows on bad input, after
/// deferring the error.
func softmaxCrossEntropyValue(_ logits: Tensor, _ labels: [Int]) -> (value: Tensor, softmax: [Float]?) {
  guard logits.rank == 2, logits.shape[0] == labels.count, logits.shape[1] > 0 else {
    deferError(TensorError.incompatibleShapes(operation: "softmaxCrossEntropy", logits.shape, [labels.count]))
    return (.placeholder, nil)
  }
  let classes = logits.shape[1]
  if let bad = labels.indices.first(where: { labels[$0] < 0 || labels[$0] >= classes }) {
    deferError(TensorError.invalidLabel(index: bad, label: labels[bad], classes: classes))
    return (.placeholder, nil)
  }
  var losses = [Float](repeating: 0, count: labels.count)
  var softmax = logits.storage
  softmax.withUnsafeMutableBufferPointer { row in
    for b in labels.indices {
      let start = b * classes
      var maximum = -Float.infinity
      for i in start..<(start + classes) { maximum = max(maximum, row[i]) }
      var sum: Float = 0
      for i in start..<(start + classes) {
        row[i] = expf(row[i] - maximum)
        sum += row[i]
      }
      losses[b] = logf(sum) - (logits.storage[start + labels[b]] - maximum)
      for i in start..<(start + classes) { row[i] /= sum }
    }
  }
  return (Tensor(uncheckedShape: [labels.count], scalars: losses), softmax)
}

@derivative(of: softmaxCrossEntropy, wrt: logits)
@usableFromInline
func _vjpSoftmaxCrossEntropy(logits: Tensor, labels: [Int]) -> (value: Tensor, pullback: (Tensor.TangentVector) -> Tensor.TangentVector) {
  let (value, softmax) = softmaxCrossEntropyValue(logits, labels)
  return (value, { gradient in
    guard let g = gradient.tensor, g.shape == value.shape, var result = softmax else { return .zero }
    // d loss[b] / d x[b, i] = softmax[b, i] − (i == label[b]).
    let classes = logits.shape[1]
    for b in labels.indices {
      result[b * classes + labels[b]] -= 1
      for i in (b * classes)..<((b + 1) * classes) { result[i] *= g.storage[b] }
    }
    return Tensor.TangentVector(Tensor(uncheckedShape: logits.shape, scalars: result))
  })
}
