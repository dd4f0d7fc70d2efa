import ExplicitState
import Foundation
import TensorLayers

/// The statistics the page shows of an array: its finite elements' mean, standard deviation,
/// minimum and maximum, and how many are NaN or infinite.
struct ArrayStatistics: Equatable {
  var count = 0
  var mean = 0.0, standardDeviation = 0.0, minimum = 0.0, maximum = 0.0
  var nanCount = 0, infinityCount = 0

  init(_ values: [Float]) {
    var sum = 0.0, sumOfSquares = 0.0, finite = 0
    var low = Double.infinity, high = -Double.infinity
    for value in values {
      if value.isNaN { nanCount += 1; continue }
      if value.isInfinite { infinityCount += 1; continue }
      let v = Double(value)
      sum += v
      sumOfSquares += v * v
      low = min(low, v)
      high = max(high, v)
      finite += 1
    }
    count = values.count
    if finite > 0 {
      mean = sum / Double(finite)
      standardDeviation = max(0, sumOfSquares / Double(finite) - mean * mean).squareRoot()
      minimum = low
      maximum = high
    }
  }

  var html: String {
    var text = "mean \(formatted(mean)) std \(formatted(standardDeviation)) min \(formatted(minimum)) max \(formatted(maximum))"
    if nanCount > 0 { text += " NaN \(nanCount)" }
    if infinityCount > 0 { text += " inf \(infinityCount)" }
    return "<span class=\"stats\">\(text)</span>"
  }
}

/// How the page shows one value of a state or one parameter: a line of text and, for arrays, a
/// picture.
enum ValueSummary {
  /// The value's one-line description and its picture, as HTML.
  static func html(of value: any Sendable) -> String {
    if let tensor = value as? Tensor { return tensorHTML(tensor) }
    switch value {
    case let number as Float: return "<code>Float \(escaped(formatted(Double(number))))</code>"
    case let number as Double: return "<code>Double \(escaped(formatted(number)))</code>"
    case let number as Int: return "<code>Int \(number)</code>"
    case let number as Int32: return "<code>Int32 \(number)</code>"
    case let flag as Bool: return "<code>Bool \(flag)</code>"
    case let floats as [Float]: return tensorHTML(Tensor(floats), typeName: "[Float]")
    default: break
    }
    if let structure = value as? any StateVisitable, let parameters = try? exportParameters(structure), !parameters.isEmpty {
      let parts = parameters.keys.map { key in
        "<div>\(escaped(key.path)): \((try? parameters.anyValue(for: key)).map(html(of:)) ?? "")</div>"
      }
      return "<code class=\"type\">\(escaped(shortTypeName(of: value)))</code>" + parts.joined()
    }
    return "<code>\(escaped(truncated(String(describing: value))))</code>"
  }

  /// A tensor's dtype, shape, statistics and picture.
  static func tensorHTML(_ tensor: Tensor, typeName: String = "float32") -> String {
    let shape = "[" + tensor.shape.map(String.init).joined(separator: ", ") + "]"
    let statistics = ArrayStatistics(tensor.scalars)
    var text = "<code>\(escaped(typeName))\(escaped(shape))</code> " + statistics.html
    if tensor.count > 1 { text += " " + picture(of: tensor, statistics: statistics) }
    return text
  }

  /// A heatmap of a matrix (a higher-rank array as `[first axis, the rest]`), a histogram of a
  /// vector: at most 32 × 32 cells or 24 bars, whatever the size.
  static func picture(of tensor: Tensor, statistics: ArrayStatistics) -> String {
    tensor.rank >= 2 ? heatmap(of: tensor, statistics: statistics) : histogram(of: tensor.scalars, statistics: statistics)
  }

  static func heatmap(of tensor: Tensor, statistics: ArrayStatistics) -> String {
    let rows = tensor.shape[0], columns = tensor.count / max(1, rows)
    guard rows > 0, columns > 0 else { return "" }
    let cellRows = min(rows, 32), cellColumns = min(columns, 32)
    let scale = max(abs(statistics.minimum), abs(statistics.maximum), 1e-12)
    let size = 4
    var cells = ""
    let values = tensor.scalars
    for cellRow in 0..<cellRows {
      let rowRange = (cellRow * rows / cellRows)..<max(cellRow * rows / cellRows + 1, (cellRow + 1) * rows / cellRows)
      for cellColumn in 0..<cellColumns {
        let columnRange = (cellColumn * columns / cellColumns)..<max(cellColumn * columns / cellColumns + 1, (cellColumn + 1) * columns / cellColumns)
        var sum = 0.0, count = 0
        for row in rowRange {
          for column in columnRange where values[row * columns + column].isFinite {
            sum += Double(values[row * columns + column])
            count += 1
          }
        }
        let mean = count > 0 ? sum / Double(count) : 0
        cells += "<rect x=\"\(cellColumn * size)\" y=\"\(cellRow * size)\" width=\"\(size)\" height=\"\(size)\" fill=\"\(divergingColor(mean / scale))\"/>"
      }
    }
    return "<svg width=\"\(cellColumns * size)\" height=\"\(cellRows * size)\" role=\"img\">\(cells)</svg>"
  }

  static func histogram(of values: [Float], statistics: ArrayStatistics) -> String {
    let bins = 24
    var counts = [Int](repeating: 0, count: bins)
    let low = statistics.minimum, width = max(statistics.maximum - statistics.minimum, 1e-12)
    for value in values where value.isFinite {
      counts[min(bins - 1, Int((Double(value) - low) / width * Double(bins)))] += 1
    }
    let highest = max(1, counts.max() ?? 1)
    var bars = ""
    for (index, count) in counts.enumerated() {
      let height = 20 * count / highest
      bars += "<rect x=\"\(index * 3)\" y=\"\(20 - height)\" width=\"2\" height=\"\(height)\" fill=\"#5b7fb8\"/>"
    }
    return "<svg width=\"\(bins * 3)\" height=\"20\" role=\"img\">\(bars)</svg>"
  }

  /// Blue for −1, white for 0, red for 1.
  static func divergingColor(_ value: Double) -> String {
    let v = max(-1, min(1, value.isFinite ? value : 0))
    let fade = Int(255 * (1 - abs(v)))
    return v >= 0 ? "rgb(255,\(fade),\(fade))" : "rgb(\(fade),\(fade),255)"
  }
}

/// A value's type name without its module and generic arguments: `BatchNorm.Statistics`.
func shortTypeName(of value: Any) -> String {
  shortTypeName(String(describing: type(of: value)))
}

func shortTypeName(_ name: String) -> String {
  var result = ""
  var depth = 0
  for character in name {
    if character == "<" { depth += 1 } else if character == ">" { depth -= 1 } else if depth == 0 { result.append(character) }
  }
  return result
}
