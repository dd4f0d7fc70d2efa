import Foundation
import StateKeys

/// Times the package on the workloads of the Inox, Penzai and JAX anchors, and on a
/// hand-written floor; prints one JSON line per figure.
///
/// Usage: `swift run -c release benchmark [--quick] [--only PREFIX]`.
@main
struct Benchmark {
  let quick: Bool
  let only: String?
  var repetitions: Int { quick ? 3 : 7 }

  static let usage = """
    Usage: benchmark [--quick] [--only PREFIX]

    Prints one JSON line per figure, {"lib": "swift", "workload", "n", "ns_per_item"}: the
    shape the anchor scripts print. --quick runs the small sizes only; --only runs the
    workloads whose names start with PREFIX.
    """

  static func main() throws {
    var quick = false
    var only: String?
    var remaining = CommandLine.arguments.dropFirst()
    while let option = remaining.popFirst() {
      switch option {
      case "--help", "-h":
        print(usage)
        return
      case "--quick":
        quick = true
      case "--only":
        guard let prefix = remaining.popFirst() else { fail("--only needs a PREFIX") }
        only = prefix
      default:
        fail("unknown option \(option)")
      }
    }
    try Benchmark(quick: quick, only: only).run()
  }

  /// Prints `problem` and the usage to standard error and exits with status 2.
  static func fail(_ problem: String) -> Never {
    FileHandle.standardError.write(Data("benchmark: \(problem)\n\n\(usage)\n".utf8))
    exit(2)
  }

  func wanted(_ workload: String) -> Bool {
    only.map { workload.hasPrefix($0) } ?? true
  }

  func run() throws {
    // Memory first, while the heap holds nothing of earlier workloads.
    if !quick, wanted("state_memory") { try measureStateMemory(entries: 200_000) }
    for entries in quick ? [200, 2_000] : [200, 2_000, 20_000, 200_000] {
      try exportAndUpdate(entries: entries)
    }
    if wanted("state_rw") || wanted("plain_rw") { try readModifyWrite(count: 100_000) }
    for layers in quick ? [100] : [100, 1_000] {
      try moments(layers: layers, features: 16, suffix: "")
    }
    try moments(layers: 100, features: 1_024, suffix: "_wide")
    for layers in quick ? [10, 100] : [10, 100, 1_000] {
      try penzai(layers: layers)
    }
    if wanted("matmul") {
      // The training step's product (a batch of 256 through a 64-wide layer), and a cube.
      for (m, k, n) in quick ? [(256, 64, 64)] : [(256, 64, 64), (512, 512, 512)] {
        let a = try Tensor.normal([m, k], key: RandomKey(seed: 1))
        let b = try Tensor.normal([k, n], key: RandomKey(seed: 2))
        let calls = max(10, (1 << 27) / (m * k * n))
        let nanoseconds = try nanosecondsPerItem(items: calls, repetitions: repetitions) {
          for _ in 0..<calls { blackHole(try matmul(a, b)) }
        }
        print(Figure(workload: "matmul", n: m, nanosecondsPerItem: nanoseconds, extra: [
          ("k", String(k)), ("columns", String(n)), ("gflops", String(format: "%.1f", 2 * Double(m * k * n) / nanoseconds)),
        ]).json)
      }
    }
    if wanted("train") {
      for batch in [64, 256] { try trainStep(batch: batch) }
    }
    for mebibytes in quick ? [16] : [256] where wanted("checkpoint_save") || wanted("checkpoint_load") {
      try checkpoints(mebibytes: mebibytes)
    }
    for tokens in quick ? [8] : [8, 32, 56] { try gemma(tokens: tokens) }
    try treeView(entries: quick ? 2_000 : 200_000)
    if wanted("uniform") {
      let count = 1_000_000
      let key = RandomKey(seed: 0)
      emit("uniform", n: count, try nanosecondsPerItem(items: count, repetitions: repetitions) {
        blackHole(try key.uniform(shape: [count]))
      })
    }
  }

  func exportAndUpdate(entries: Int) throws {
    let model = try MomentsStack(layers: entries / 2, features: 16)
    if wanted("export") {
      let nanoseconds = try nanosecondsPerItem(items: entries, repetitions: repetitions) {
        blackHole(try exportState(model))
      }
      // The largest export also reports its memory: the heap its result (the exported model
      // and the state) holds, and the process's peak resident size so far.
      var memory: [(String, String)] = []
      if entries == 200_000 {
        let (exported, state, bytes) = try heapGrowth { try exportState(model) }
        blackHole((exported, state))
        memory = [("heap_bytes", String(bytes)), ("peak_rss_bytes", String(ProcessMemory.peakResident))]
      }
      print(Figure(workload: "export", n: entries, nanosecondsPerItem: nanoseconds, extra: memory).json)
    }
    if wanted("update1") {
      let (exported, state) = try exportState(model)
      let entry = exported.layers[entries / 4].first
      let value = try state[entry]
      let calls = 10_000
      emit("update1", n: entries, try nanosecondsPerItem(items: calls, repetitions: repetitions) {
        blackHole(try updateOneKey(state, entry, value, calls: calls))
      })
    }
  }

  /// Read-modify-writes of one Float through its key: in one `State.edit` (`state_rw`, the
  /// figure the target uses: like the plain loop over an `inout` array, it checks once that
  /// the storage is not shared, not at every write); as a `State.modify` per access
  /// (`state_rw_modify`, which checks at every write); and as a read followed by
  /// `updateState` with a one-entry literal (`state_rw_update`).
  func readModifyWrite(count: Int) throws {
    let (floats, state) = try exportState(Floats(count: 1_024))
    if wanted("state_rw") {
      emit("state_rw", n: count, try nanosecondsPerItem(items: count, repetitions: repetitions) {
        blackHole(try editState(state, floats.values, count: count))
      })
      emit("state_rw_modify", n: count, try nanosecondsPerItem(items: count, repetitions: repetitions) {
        blackHole(try modifyState(state, floats.values, count: count))
      })
      emit("state_rw_update", n: count, try nanosecondsPerItem(items: count, repetitions: repetitions) {
        blackHole(try readModifyWriteState(state, floats.values, count: count))
      })
    }
    if wanted("plain_rw") {
      var plain = (0..<1_024).map(Float.init)
      emit("plain_rw", n: count, nanosecondsPerItem(items: count, repetitions: repetitions) {
        readModifyWritePlain(&plain, count: count)
        blackHole(plain)
      })
    }
  }

  func moments(layers: Int, features: Int, suffix: String) throws {
    // At least 100 calls, so that the first call of a repetition, which copies the shared
    // starting state, weighs little against the steady state the workload measures: with 20,
    // copying 1,024-feature tensors was a third of `moments_wide`'s time.
    let calls = max(100, 20_000 / layers / (features / 16))
    let x = try Tensor.normal([features], key: RandomKey(seed: 1))
    if wanted("moments" + suffix) {
      let (model, state) = try exportState(MomentsStack(layers: layers, features: features))
      emit("moments" + suffix, n: layers, try nanosecondsPerItem(items: calls * layers, repetitions: repetitions) {
        blackHole(try callStack(model, x, state, calls: calls))
      })
    }
    if wanted("handwritten_moments" + suffix) {
      var first = Array(repeating: [Float](repeating: 0, count: features), count: layers)
      var second = Array(repeating: [Float](repeating: 1, count: features), count: layers)
      emit("handwritten_moments" + suffix, n: layers, nanosecondsPerItem(items: calls * layers, repetitions: repetitions) {
        for _ in 0..<calls { handwrittenMoments(first: &first, second: &second, x: x.scalars) }
        blackHole(first)
      })
    }
  }

  /// The safetensors anchor's workloads: saving and loading a state of `mebibytes` tensors of
  /// 1 MiB, in ns per MiB, the fastest of 5 runs as the anchor takes the fastest of 3 (the
  /// disk's time varies by a fifth between runs here). The save also reports the most memory it took beyond the state
  /// (the peak resident size during one save, less the resident size before it), against the
  /// largest tensor.
  func checkpoints(mebibytes: Int) throws {
    let (_, state) = try exportState(WeightStack(layers: mebibytes))
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statekeys-benchmark-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("workload.safetensors").path
    try state.save(to: path)
    if wanted("checkpoint_save") {
      let before = ProcessMemory.resident
      ProcessMemory.resetPeakResident()
      try state.save(to: path)
      let extra = ProcessMemory.peakResident - before
      let nanoseconds = try nanosecondsPerItem(items: mebibytes, repetitions: 5, fastest: true) {
        try state.save(to: path)
      }
      print(Figure(workload: "checkpoint_save", n: mebibytes, nanosecondsPerItem: nanoseconds, extra: [
        ("peak_extra_bytes", String(extra)), ("largest_tensor_bytes", String(WeightStack.tensorBytes)),
      ]).json)
    }
    if wanted("checkpoint_load") {
      emit("checkpoint_load", n: mebibytes, try nanosecondsPerItem(items: mebibytes, repetitions: 5, fastest: true) {
        blackHole(try State(contentsOf: path, matching: state))
      })
    }
  }

  /// The Penzai anchor's workloads: handling, calling and freezing `layers` local states.
  func penzai(layers: Int) throws {
    let model = Sequential((0..<layers).map { _ in Accumulate() })
    if wanted("handle") {
      emit("handle", n: layers, try nanosecondsPerItem(items: layers, repetitions: repetitions) {
        blackHole(try handleLocalStates(model, category: "state"))
      })
    }
    let (handled, state) = try handleLocalStates(model, category: "state")
    if wanted("handled_call") {
      let x = Tensor([Float](repeating: 1, count: 16))
      let calls = max(1, 20_000 / layers)
      emit("handled_call", n: layers, try nanosecondsPerItem(items: calls * layers, repetitions: repetitions) {
        blackHole(try callHandled(handled, x, state, calls: calls))
      })
    }
    if wanted("freeze") {
      emit("freeze", n: layers, try nanosecondsPerItem(items: layers, repetitions: repetitions) {
        blackHole(try freezeLocalStates(handled, state))
      })
    }
  }

  /// The heap an exported state of `entries` entries of 16 floats takes, against its payload,
  /// with values of a fixed size (`SIMD16<Float>`, stored inline: `state_memory`) and as
  /// `Tensor`s (`state_memory_tensor`).
  ///
  /// Each model is exported twice, the first export kept alive: the first also stores the
  /// model's paths in the process's path table, which later exports of the same paths share;
  /// the second measures the state alone. The exported model's array, which is the model's
  /// and not the state's, is subtracted. A tensor's own heap arrays count as the state's,
  /// since the state holds them.
  func measureStateMemory(entries: Int) throws {
    let payload = entries * 16 * MemoryLayout<Float>.size
    func report<Model: StateVisitable>(
      _ workload: String, _ makeModel: () throws -> Model, modelBytes: (Model) -> Int
    ) throws {
      let (firstModel, firstState, first) = try heapGrowth { try exportState(makeModel()) }
      let (model, state, second) = try heapGrowth { try exportState(makeModel()) }
      blackHole((firstModel, firstState, model, state))
      let stateBytes = second - modelBytes(model)
      let pathTable = first - second
      print(Figure(workload: workload, n: entries, nanosecondsPerItem: 0, extra: [
        ("bytes_per_entry", String(stateBytes / entries)),
        ("path_table_bytes_per_entry", String(pathTable / entries)),
        ("payload_bytes_per_entry", String(payload / entries)),
        ("ratio_to_payload", String(format: "%.2f", Double(stateBytes) / Double(payload))),
        ("first_export_ratio_to_payload", String(format: "%.2f", Double(stateBytes + pathTable) / Double(payload))),
        ("peak_rss_bytes", String(ProcessMemory.peakResident)),
      ]).json)
    }
    try report("state_memory", { InlineMomentsStack(layers: entries / 2) }) {
      $0.layers.capacity * MemoryLayout<InlineMomentsStack.Layer>.stride
    }
    try report("state_memory_tensor", { try MomentsStack(layers: entries / 2, features: 16) }) {
      $0.layers.capacity * MemoryLayout<Moments>.stride
    }
  }

  /// What `body` returns, and by how many bytes it grew the heap.
  func heapGrowth<Model>(_ body: () throws -> (Model, State)) rethrows -> (Model, State, Int) {
    let before = ProcessMemory.heapInUse
    let (model, state) = try body()
    return (model, state, ProcessMemory.heapInUse - before)
  }

  func emit(_ workload: String, n: Int, _ nanoseconds: Double) {
    print(Figure(workload: workload, n: n, nanosecondsPerItem: nanoseconds).json)
  }
}
