import Foundation
import SystemMalloc

/// One benchmark figure, printed as a JSON line in the anchor scripts' shape.
struct Figure {
  let workload: String
  let n: Int
  let nanosecondsPerItem: Double
  var extra: [(String, String)] = []

  var json: String {
    let number = nanosecondsPerItem >= 100
      ? String(format: "%.1f", nanosecondsPerItem) : String(format: "%.3f", nanosecondsPerItem)
    var fields = [
      "\"lib\": \"swift\"", "\"workload\": \"\(workload)\"", "\"n\": \(n)", "\"ns_per_item\": \(number)",
    ]
    fields += extra.map { "\"\($0.0)\": \($0.1)" }
    return "{" + fields.joined(separator: ", ") + "}"
  }
}

/// Times `body`, which does `items` items of work: one warm-up run, then the median (or, with
/// `fastest`, the fastest, as the anchors time input and output) of `repetitions` timed runs,
/// in nanoseconds per item.
func nanosecondsPerItem(items: Int, repetitions: Int, fastest: Bool = false, _ body: () throws -> Void) rethrows -> Double {
  try body()
  var samples: [Double] = []
  let clock = ContinuousClock()
  for _ in 0..<repetitions {
    let elapsed = try clock.measure(body)
    samples.append(Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9)
  }
  samples.sort()
  return (fastest ? samples[0] : samples[samples.count / 2]) / Double(items)
}

/// Memory figures of this process: the allocator's bytes in use, and resident sizes from
/// `/proc/self/status` (Linux).
enum ProcessMemory {
  /// The bytes the C allocator has handed out and not taken back (glibc's `mallinfo2`), or
  /// the resident size where that is not available.
  ///
  /// Unlike the resident size, it counts memory that `free` kept for reuse as free, so two
  /// measurements in a row each see only their own allocations.
  static var heapInUse: Int {
    #if os(Linux) && canImport(Glibc)
      let info = mallinfo2()
      return Int(info.uordblks) + Int(info.hblkhd)
    #else
      return resident
    #endif
  }

  /// Starts the peak resident size afresh from the current one (Linux's `clear_refs`), so that
  /// `peakResident` then tells the most used since.
  static func resetPeakResident() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
  }

  /// The resident set size, in bytes.
  static var resident: Int { field("VmRSS") }
  /// The peak resident set size so far, in bytes.
  static var peakResident: Int { field("VmHWM") }

  private static func field(_ name: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
      let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
      return kilobytes * 1024
    }
    return 0
  }
}

/// Keeps the optimizer from deleting work whose result is otherwise unused.
@inline(never)
func blackHole<T>(_ value: T) {
  withExtendedLifetime(value) {}
}
