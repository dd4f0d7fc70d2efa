import Foundation
import StateKeys
import _Differentiation

/// Inox's MLP for 8×8 digits, with running statistics and dropout: `Moments` of the input and
/// output and a `BatchNorm` keep explicit state; `StochasticDropout` draws its keys from
/// Penzai's random effect.
struct MLP: Layer, Differentiable {
  var inStats: Moments
  var l1: Linear
  var norm: BatchNorm
  var dropout: StochasticDropout
  var l2: Linear
  var l3: Linear
  var outStats: Moments

  init(features: Int, hidden: Int, classes: Int, dropRate: Float, key: RandomKey) throws {
    let keys = try key.split(into: 3)
    inStats = try Moments(features: features)
    l1 = try Linear(inFeatures: features, outFeatures: hidden, key: keys[0])
    norm = try BatchNorm(channels: hidden)
    dropout = try StochasticDropout(dropRate: dropRate)
    l2 = try Linear(inFeatures: hidden, outFeatures: hidden, key: keys[1])
    l3 = try Linear(inFeatures: hidden, outFeatures: classes, key: keys[2])
    outStats = try Moments(features: classes)
  }

  /// The logits of a batch `x` of shape `[batch, features]`, and the new state.
  @differentiable(reverse, wrt: self)
  func forward(_ x: Tensor, _ state: State) -> Stateful<Tensor> {
    let state = inStats.forward(x.mean(along: 0), state)
    let normalized = norm.forward(relu(l1.forward(x)), state)
    let logits = l3.forward(relu(l2.forward(dropout.forward(normalized.value))))
    return Stateful(logits, state: outStats.forward(logits.mean(along: 0), normalized.state))
  }

  /// The mean softmax cross-entropy of a batch, and the new state.
  @differentiable(reverse, wrt: self)
  func loss(_ x: Tensor, _ labels: [Int], _ state: State) -> Stateful<Float> {
    let output = forward(x, state)
    return Stateful(softmaxCrossEntropy(logits: output.value, labels: labels).mean(), state: output.state)
  }

  /// The layer's call, `(x, state) → (logits, state)`, with errors thrown.
  func callAsFunction(_ input: (Tensor, State)) throws -> (Tensor, State) {
    try withDeferredErrors { forward(input.0, input.1).unpacked }
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("in_stats", &inStats)
    visitor.visit("l1", &l1)
    visitor.visit("norm", &norm)
    visitor.visit("dropout", &dropout)
    visitor.visit("l2", &l2)
    visitor.visit("l3", &l3)
    visitor.visit("out_stats", &outStats)
  }
}

/// The 1,797 digits of `Resources/digits.csv`: 64 pixels in 0...16, then the digit.
struct Digits {
  var pixels: [[Float]] = []
  var labels: [Int] = []

  init() throws {
    guard let url = Bundle.module.url(forResource: "digits", withExtension: "csv") else {
      throw DemoError("the data set digits.csv is missing from the demo's resources")
    }
    for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
      let values = line.split(separator: ",").compactMap { Float($0) }
      guard values.count == 65, let label = Int(exactly: values[64]), (0..<10).contains(label) else {
        throw DemoError("digits.csv: expected 64 pixels and a digit, found \(line.prefix(40))")
      }
      pixels.append(values.prefix(64).map { $0 / 16 })
      labels.append(label)
    }
  }

  /// The samples at `indices` as a batch.
  func batch(_ indices: ArraySlice<Int>) throws -> (x: Tensor, labels: [Int]) {
    (try Tensor(shape: [indices.count, 64], scalars: indices.flatMap { pixels[$0] }), indices.map { labels[$0] })
  }
}

/// A problem the demo reports in one line before it stops.
struct DemoError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// The demo's options.
struct Options {
  var epochs = 15
  var batchSize = 64
  var learningRate = 3e-3
  var seed = 0
  var output = FileManager.default.temporaryDirectory.appendingPathComponent("statekeys-demo.safetensors").path

  static let usage = """
    Usage: demo [--epochs N] [--batch-size B] [--learning-rate R] [--seed S] [--output PATH]

    Trains Inox's MLP (Moments, Linear, ReLU, BatchNorm, Penzai's StochasticDropout) on the UCI
    handwritten digits with Adam, prints its progress and its test accuracy, saves the
    parameters, the state and the optimizer's state to one .safetensors checkpoint with the
    loss and accuracy curves beside it (.svg), restores them into a fresh model, and checks that
    it predicts the same.

      --epochs N          passes over the training set (default 15)
      --batch-size B      samples per step, 2 or more (default 64)
      --learning-rate R   Adam's step size (default 0.003)
      --seed S            seed of the split, the weights, the order and the dropout (default 0)
      --output PATH       the checkpoint (default: statekeys-demo.safetensors in the temporary
                          directory); the curves go to the same path with .svg, the page of the
                          trained model with .html, and the state's changes to -diff.html
      --help              show this text
    """

  /// The options in `arguments`.
  ///
  /// - Throws: `DemoError` naming the bad option.
  init(_ arguments: [String]) throws {
    var remaining = arguments[...]
    while let option = remaining.popFirst() {
      guard ["--epochs", "--batch-size", "--learning-rate", "--seed", "--output"].contains(option) else {
        throw DemoError("unknown option \(option) (demo --help lists them)")
      }
      guard let value = remaining.popFirst() else { throw DemoError("\(option) needs a value") }
      switch option {
      case "--epochs":
        guard let epochs = Int(value), epochs >= 1 else { throw DemoError("--epochs needs a whole number of 1 or more, found \(value)") }
        self.epochs = epochs
      case "--batch-size":
        guard let size = Int(value), size >= 2 else { throw DemoError("--batch-size needs a whole number of 2 or more, found \(value)") }
        batchSize = size
      case "--learning-rate":
        guard let rate = Double(value), rate > 0, rate.isFinite else { throw DemoError("--learning-rate needs a positive number, found \(value)") }
        learningRate = rate
      case "--seed":
        guard let seed = Int(value) else { throw DemoError("--seed needs a whole number, found \(value)") }
        self.seed = seed
      default:
        output = value
      }
    }
  }

  /// The curves' path: the checkpoint's, with `.svg`.
  var curvesPath: String { URL(fileURLWithPath: output).deletingPathExtension().appendingPathExtension("svg").path }

  /// The pages of the trained model and of the state's changes: the checkpoint's path, with
  /// `.html` and `-diff.html`.
  var pagePath: String { URL(fileURLWithPath: output).deletingPathExtension().appendingPathExtension("html").path }
  var diffPath: String { URL(fileURLWithPath: output).deletingPathExtension().path + "-diff.html" }

  /// Checks, before any training, that both files can be written.
  ///
  /// - Throws: `DemoError` naming the path.
  func checkOutputs() throws {
    for path in [output, curvesPath, pagePath, diffPath] {
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
        throw DemoError("cannot write \(path): the folder \(folder) does not exist")
      }
      guard FileManager.default.isWritableFile(atPath: folder) else {
        throw DemoError("cannot write \(path): the folder \(folder) is not writable")
      }
      if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
        throw DemoError("cannot write \(path): it is a folder")
      }
    }
  }
}

/// Trains Inox's MLP on the digits, checkpoints it and restores it.
@main
struct Demo {
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.contains("--help") || arguments.contains("-h") {
      print(Options.usage)
      return
    }
    do {
      let options = try Options(arguments)
      try options.checkOutputs()
      try run(options)
    } catch {
      FileHandle.standardError.write(Data("demo: \(error)\n".utf8))
      exit(1)
    }
  }

  static func run(_ options: Options) throws {
    let start = ContinuousClock.now
    let isTerminal = isatty(1) == 1
    let digits = try Digits()
    let keys = try RandomKey(seed: options.seed).split(into: 4)
    // A fixed split: a fifth of the digits, chosen by the seed, are the test set.
    let order = try keys[0].uniform(shape: [digits.labels.count]).enumerated().sorted { $0.element < $1.element }.map(\.offset)
    let testCount = digits.labels.count / 5
    let (test, train) = (order.prefix(testCount), Array(order.dropFirst(testCount)))

    let (model, initialState) = try exportState(MLP(features: 64, hidden: 64, classes: 10, dropRate: 0.1, key: keys[1]))
    var handled = try WithRandomKeyFromArg.handling(model)
    var state = initialState
    let adam = try Adam(learningRate: options.learningRate)
    var optimizerState = try adam.makeState(for: model)
    print("The model after exportState, its entries replaced by keys:\n")
    print(treeDescription(of: model))
    print("\nTraining on \(train.count) digits, testing on \(test.count), batches of \(options.batchSize), Adam \(options.learningRate):")

    var curves: [(loss: Float, train: Float, test: Float)] = []
    var dropoutKeys = RandomStream(base: keys[3])
    var shuffles = RandomStream(base: keys[2])
    let batchCount = (train.count + options.batchSize - 1) / options.batchSize
    for epoch in 1...options.epochs {
      let shuffled = try shuffles.nextKey().uniform(shape: [train.count]).enumerated().sorted { $0.element < $1.element }.map { train[$0.offset] }
      var totalLoss: Float = 0
      for batchIndex in 0..<batchCount {
        let indices = shuffled[(batchIndex * options.batchSize)..<min(shuffled.count, (batchIndex + 1) * options.batchSize)]
        guard indices.count >= 2 else { continue }
        let (x, labels) = try digits.batch(indices)
        let (loss, gradient, newState) = try handled.withStream(for: dropoutKeys.nextKey()) { body in
          try valueWithGradient(at: body, state) { model, state in model.loss(x, labels, state) }
        }
        state = newState
        (handled.body, optimizerState) = try adam.step(handled.body, gradients: gradient, state: optimizerState)
        totalLoss += loss
        // The bar moves batch by batch on a terminal; a log gets one line per epoch.
        if isTerminal { printProgress(epoch: epoch, of: options.epochs, done: batchIndex + 1, of: batchCount, loss: totalLoss / Float(batchIndex + 1), accuracy: nil) }
      }
      let trainAccuracy = try accuracy(of: handled.body, state, digits, train[...])
      let testAccuracy = try accuracy(of: handled.body, state, digits, test)
      curves.append((totalLoss / Float(batchCount), trainAccuracy, testAccuracy))
      printProgress(epoch: epoch, of: options.epochs, done: batchCount, of: batchCount, loss: totalLoss / Float(batchCount), accuracy: trainAccuracy)
      print()
    }
    let trained = handled.body
    let testAccuracy = try accuracy(of: trained, state, digits, test)
    print(String(format: "test accuracy: %.1f%%", testAccuracy * 100))

    // One checkpoint: the parameters, the state and the optimizer's state, under prefixes.
    let parameters = try exportParameters(trained)
    try State.save(["parameters": parameters, "state": state, "optimizer": optimizerState], to: options.output)
    let names = try SafetensorsFile(state: state).entries.map(\.name)
    print("\nSaved the parameters, the state and the optimizer's state to \(options.output).")
    print("The state's \(names.count) tensors, named as Python names Inox's (under state/):")
    print("  " + names.joined(separator: ", "))
    try curvesSVG(curves).write(toFile: options.curvesPath, atomically: true, encoding: .utf8)
    print("Wrote the loss and accuracy curves to \(options.curvesPath).")
    try HTMLTreeView(of: trained, state: state, title: "The trained MLP and its state").write(to: options.pagePath)
    try HTMLStateDiff(from: initialState, to: state, title: "The state before and after training").write(to: options.diffPath)
    print("Wrote the model and its state as a page, \(options.pagePath), and the state's changes, \(options.diffPath).")

    // A fresh model from another seed, restored from the file.
    let (fresh, freshState) = try exportState(MLP(features: 64, hidden: 64, classes: 10, dropRate: 0.1, key: RandomKey(seed: options.seed + 1)))
    let restored = try [State](
      contentsOf: options.output,
      matching: ["parameters": try exportParameters(fresh), "state": freshState, "optimizer": try adam.makeState(for: fresh)])
    let restoredModel = try importParameters(fresh, restored[0])
    let sameEntries = restored[1].keys == state.keys && restored[1].keys.allSatisfy { key in
      (try? restored[1].value(for: key, as: Tensor.self) == state.value(for: key, as: Tensor.self))
        ?? (try? restored[1].value(for: key, as: BatchNorm.Statistics.self) == state.value(for: key, as: BatchNorm.Statistics.self))
        ?? false
    }
    let samePredictions = try predictions(of: restoredModel, restored[1], digits, test) == predictions(of: trained, state, digits, test)
    print("\nRestored into a fresh model:")
    print("  every one of the \(state.count) state entries equal: \(sameEntries && restored[1] == state)")
    print("  parameters equal: \(restored[0] == parameters); optimizer state equal: \(restored[2] == optimizerState)")
    print("  identical predictions on the \(test.count) test digits: \(samePredictions)")
    print(String(format: "\nDone in %.1f s.", Double((ContinuousClock.now - start).components.attoseconds) / 1e18 + Double((ContinuousClock.now - start).components.seconds)))
    guard sameEntries, samePredictions, restored[1] == state else { throw DemoError("the restored model differs from the trained one") }
  }

  /// The predicted digit of each sample at `indices`, in inference mode.
  static func predictions(of model: MLP, _ state: State, _ digits: Digits, _ indices: ArraySlice<Int>) throws -> [Int] {
    var inference = model
    inference.setTrainingMode(false)
    let (x, _) = try digits.batch(indices)
    let (logits, _) = try inference((x, state))
    return stride(from: 0, to: logits.count, by: 10).map { start in
      let row = logits.scalars[start..<(start + 10)]
      return row.indices.max { row[$0] < row[$1] }.map { $0 - start } ?? 0
    }
  }

  /// The fraction of the samples at `indices` predicted right.
  static func accuracy(of model: MLP, _ state: State, _ digits: Digits, _ indices: ArraySlice<Int>) throws -> Float {
    let predicted = try predictions(of: model, state, digits, indices)
    return Float(zip(predicted, indices).filter { $0 == digits.labels[$1] }.count) / Float(indices.count)
  }

  /// One line, redrawn in place: `epoch  3/15 [#########-----] loss 0.4321 train accuracy 91.2%`.
  static func printProgress(epoch: Int, of epochs: Int, done: Int, of total: Int, loss: Float, accuracy: Float?) {
    let width = 24
    let filled = done * width / max(total, 1)
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    let epochText = String(repeating: " ", count: String(epochs).count - String(epoch).count) + String(epoch)
    var line = "\repoch \(epochText)/\(epochs) [\(bar)] loss \(String(format: "%.4f", loss))"
    if let accuracy { line += String(format: "  train accuracy %.1f%%", accuracy * 100) }
    print(line, terminator: "")
    fflush(nil)
  }

  /// The loss and the accuracies per epoch as an SVG chart of two panels.
  static func curvesSVG(_ curves: [(loss: Float, train: Float, test: Float)]) -> String {
    let (width, height, margin) = (320.0, 200.0, 36.0)
    func path(_ values: [Float], top: Float, panel: Double) -> String {
      let count = max(values.count - 1, 1)
      return values.enumerated().map { index, value in
        let x = panel + margin + Double(index) / Double(count) * (width - 2 * margin)
        let y = margin + (1 - Double(min(max(value / top, 0), 1))) * (height - 2 * margin)
        return (index == 0 ? "M" : "L") + String(format: "%.1f,%.1f", x, y)
      }.joined(separator: " ")
    }
    let maximumLoss = max(curves.map(\.loss).max() ?? 1, 1e-6)
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(2 * width))" height="\(Int(height))" font-family="sans-serif" font-size="11">
      <rect width="100%" height="100%" fill="white"/>
      <text x="\(margin)" y="20">training loss (max \(String(format: "%.3f", maximumLoss)))</text>
      <text x="\(width + margin)" y="20">accuracy (0 to 100%): train blue, test orange</text>

      """
    for panel in [0.0, width] {
      svg += "<rect x=\"\(panel + margin)\" y=\"\(margin)\" width=\"\(width - 2 * margin)\" height=\"\(height - 2 * margin)\" fill=\"none\" stroke=\"#999\"/>\n"
    }
    svg += "<path d=\"\(path(curves.map(\.loss), top: maximumLoss, panel: 0))\" fill=\"none\" stroke=\"#444\" stroke-width=\"2\"/>\n"
    svg += "<path d=\"\(path(curves.map(\.train), top: 1, panel: width))\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n"
    svg += "<path d=\"\(path(curves.map(\.test), top: 1, panel: width))\" fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"2\"/>\n"
    svg += "<text x=\"\(margin)\" y=\"\(height - 10)\">epoch 1 to \(curves.count)</text>\n</svg>\n"
    return svg
  }
}
