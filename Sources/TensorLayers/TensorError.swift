import RandomKeys

/// An error thrown by tensor operations and layers; each message names the shapes involved.
public enum TensorError: Error, Hashable, Sendable {
  /// A shape with a negative dimension, or whose element count overflows `Int`.
  case invalidShape([Int])
  /// Scalars whose count is not the product of the shape.
  case scalarCountMismatch(shape: [Int], count: Int)
  /// Two shapes that an operation cannot combine.
  case incompatibleShapes(operation: String, [Int], [Int])
  /// An axis outside `0..<rank`.
  case invalidAxis(Int, rank: Int)
  /// A layer that normalizes over a batch was given a tensor with no batch axis.
  case notBatched(layer: String, shape: [Int])
  /// A dropout rate outside `0..<1`.
  case invalidRate(Float)
  /// An error from drawing random numbers.
  case random(RandomKeyError)
  /// A class label outside `0..<classes`, at position `index` of the labels.
  case invalidLabel(index: Int, label: Int, classes: Int)
  /// A row index outside `0..<count`, at position `position` of the indices (a token outside
  /// the vocabulary, say).
  case indexOutOfRange(position: Int, index: Int, count: Int)
}

extension TensorError: CustomStringConvertible {
  /// A sentence naming what was expected and what was found.
  public var description: String {
    switch self {
    case .invalidShape(let shape):
      return "Expected a shape of non-negative dimensions of at most Tensor.maximumElementCount "
        + "elements, found \(shape)."
    case .scalarCountMismatch(let shape, let count):
      return "A tensor of shape \(shape) needs \(elementCountText(shape)) scalars, found \(count)."
    case .incompatibleShapes(let operation, let lhs, let rhs):
      return "\(operation): shapes \(lhs) and \(rhs) are incompatible."
    case .invalidAxis(let axis, let rank):
      return "Expected an axis in 0..<\(rank), found \(axis)."
    case .notBatched(let layer, let shape):
      return "\(layer): expected a batched input of rank 2 or more, found shape \(shape)."
    case .invalidRate(let rate):
      return "Dropout: expected a rate in 0..<1, found \(rate)."
    case .random(let error):
      return error.description
    case .invalidLabel(let index, let label, let classes):
      return "Labels[\(index)]: expected a class in 0..<\(classes), found \(label)."
    case .indexOutOfRange(let position, let index, let count):
      return "Indices[\(position)]: expected a row in 0..<\(count), found \(index)."
    }
  }

  private func elementCountText(_ shape: [Int]) -> String {
    var count = 1
    for dimension in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
      if overflow { return "more than Int.max" }
      count = product
    }
    return String(count)
  }
}
