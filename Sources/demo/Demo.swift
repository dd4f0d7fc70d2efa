import Foundation
import StateKeys

/// Inox's MLP, with running statistics and dropout: `Moments` of the input and output and a
/// `BatchNorm` keep explicit state; `StochasticDropout` draws keys from Penzai's random effect.
///
/// It is a Penzai-style layer whose input and output carry the state: `(x, state) → (y, state)`.
struct MLP: Layer {
  var inStats: Moments
  var l1: Linear
  var norm: BatchNorm
  var dropout: StochasticDropout
  var l2: Linear
  var l3: Linear
  var outStats: Moments

  init(features: Int, classes: Int, key: RandomKey) throws {
    let keys = try key.split(into: 3)
    inStats = try Moments(features: features)
    l1 = try Linear(inFeatures: features, outFeatures: 64, key: keys[0])
    norm = try BatchNorm(channels: 64)
    dropout = try StochasticDropout(dropRate: 0.1)
    l2 = try Linear(inFeatures: 64, outFeatures: 64, key: keys[1])
    l3 = try Linear(inFeatures: 64, outFeatures: classes, key: keys[2])
    outStats = try Moments(features: classes)
  }

  /// Runs a batch `x` of shape `[batch, features]`.
  func callAsFunction(_ input: (Tensor, State)) throws -> (Tensor, State) {
    var (x, state) = input
    state = try inStats(x.mean(alongAxis: 0), state)
    x = relu(try l1(x))
    (x, state) = try norm(x, state)
    x = try dropout(x)
    x = relu(try l2(x))
    x = try l3(x)
    state = try outStats(x.mean(alongAxis: 0), state)
    return (x, state)
  }

  /// The model in inference mode: batch statistics frozen, no dropout.
  var inference: MLP {
    var model = self
    model.setTrainingMode(false)
    return model
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("inStats", &inStats)
    visitor.visit("l1", &l1)
    visitor.visit("norm", &norm)
    visitor.visit("dropout", &dropout)
    visitor.visit("l2", &l2)
    visitor.visit("l3", &l3)
    visitor.visit("outStats", &outStats)
  }
}

/// The demo's options.
struct Options {
  var passes = 3
  var seed = 0
  var output = FileManager.default.temporaryDirectory.appendingPathComponent("statekeys-demo.safetensors").path

  static let usage = """
    Usage: demo [--passes N] [--seed S] [--output PATH]

    Runs Inox's Moments/MLP example with BatchNorm statistics and dropout over a small dataset
    made from the seed, prints the model tree and its state, saves the state to a
    .safetensors checkpoint, restores it into a fresh model, and checks that the restored model
    gives the same outputs.

      --passes N     passes over the dataset (default 3)
      --seed S       seed of the weights, the dataset and the dropout keys (default 0)
      --output PATH  where to save the checkpoint (default: statekeys-demo.safetensors in the
                     temporary directory)
      --help         show this text
    """

  /// The options in `arguments`, or `nil` after printing the usage or a complaint.
  init?(_ arguments: [String]) {
    var remaining = arguments[...]
    while let option = remaining.popFirst() {
      if option == "--help" || option == "-h" {
        print(Self.usage)
        return nil
      }
      guard ["--passes", "--seed", "--output"].contains(option), let value = remaining.popFirst() else {
        print("demo: unknown option or missing value: \(option)\n\n\(Self.usage)")
        return nil
      }
      switch option {
      case "--passes":
        guard let passes = Int(value), passes >= 1 else {
          print("demo: --passes needs a whole number of 1 or more, found \(value)")
          return nil
        }
        self.passes = passes
      case "--seed":
        guard let seed = Int(value) else {
          print("demo: --seed needs a whole number, found \(value)")
          return nil
        }
        self.seed = seed
      default:
        output = value
      }
    }
  }
}

/// Inox's example, trained over a built-in dataset, checkpointed and restored.
@main
struct Demo {
  static func main() throws {
    let arguments = Array(CommandLine.arguments.dropFirst())
    guard let options = Options(arguments) else {
      if !arguments.contains("--help"), !arguments.contains("-h") { exit(2) }
      return
    }
    let keys = try RandomKey(seed: options.seed).split(into: 3)

    // A dataset made from the seed: 8 batches of 16 samples of 16 features.
    let batches = try keys[1].split(into: 8).map { try Tensor.normal([16, 16], key: $0) }

    let (model, initial) = try exportState(MLP(features: 16, classes: 3, key: keys[0]))
    let training = try WithRandomKeyFromArg.handling(model)
    print("The model after exportState, its entries replaced by keys:\n")
    print(treeDescription(of: model))

    var state = initial
    var dropoutKeys = RandomStream(base: keys[2])
    print("\nTraining mode, \(options.passes) passes over \(batches.count) batches:")
    for pass in 1...options.passes {
      var total: Float = 0
      for batch in batches {
        let key = dropoutKeys.nextKey()
        let y: Tensor
        (y, state) = try training(((batch, state), key))
        total += y.mean()
      }
      let runningMean = try state[model.norm.stats].mean
      print("  pass \(pass): mean output \(format(total / Float(batches.count))), "
        + "BatchNorm running mean[0...2] \(format(Array(runningMean.scalars.prefix(3))))")
    }

    print("\nThe state after training:\n")
    print(state)

    try saveCheckpoint(state, to: options.output)
    let names = try SafetensorsFile(state: state).entries.map(\.name)
    print("\nSaved the state to \(options.output), as \(names.count) tensors named as Python names Inox's:")
    print("  " + names.joined(separator: ", "))

    let (fresh, freshState) = try exportState(MLP(features: 16, classes: 3, key: keys[0]))
    let restored = try loadCheckpoint(from: options.output, matching: freshState)
    let test = batches[0]
    let (expected, _) = try model.inference((test, state))
    let (before, _) = try fresh.inference((test, freshState))
    let (after, _) = try fresh.inference((test, restored))
    print("Inference on one batch, trained model against a fresh one:")
    print("  before restoring the checkpoint: identical outputs? \(before == expected)")
    print("  after restoring the checkpoint:  identical outputs? \(after == expected)")
  }

  static func format(_ value: Float) -> String {
    String(format: "%.4f", value)
  }

  static func format(_ values: [Float]) -> String {
    "[" + values.map(format).joined(separator: ", ") + "]"
  }
}
