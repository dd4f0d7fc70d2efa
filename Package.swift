// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "StateKeys",
  // `Synchronization`'s atomics: the path registry's lock-free reads and the edit tokens.
  platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
  products: [
    .library(name: "StateKeys", targets: ["StateKeys"]),
    .library(name: "ExplicitState", targets: ["ExplicitState"]),
    .library(name: "RandomKeys", targets: ["RandomKeys"]),
    .library(name: "TensorLayers", targets: ["TensorLayers"]),
    .library(name: "DataEffects", targets: ["DataEffects"]),
    .library(name: "Checkpoints", targets: ["Checkpoints"]),
    .library(name: "Training", targets: ["Training"]),
    .library(name: "PenzaiGemma", targets: ["PenzaiGemma"]),
    .library(name: "StateViews", targets: ["StateViews"]),
    .executable(name: "demo", targets: ["demo"]),
    .executable(name: "benchmark", targets: ["benchmark"]),
    .executable(name: "gemma-generate", targets: ["gemma-generate"]),
  ],
  targets: [
    // Plumbing the modules below share, each piece once, with package access.
    .target(name: "StateKeysSupport"),
    // Layer 1: module trees, StateEntry, StateKey, State; generic over values, no numerics.
    .target(name: "ExplicitState", dependencies: ["StateKeysSupport"]),
    // Layer 2: JAX-compatible threefry2x32 random keys.
    .target(
      name: "RandomKeys", dependencies: ["StateKeysSupport"],
      linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux, .android]))]),
    // Layer 3: a small dense Tensor and the layers the guides use.
    .target(
      name: "TensorLayers", dependencies: ["ExplicitState", "RandomKeys", "StateKeysSupport"],
      linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux, .android]))]),
    // Layer 4: Penzai's V1 data effects, whose local state is the core's State.
    .target(
      name: "DataEffects", dependencies: ["ExplicitState", "RandomKeys", "TensorLayers", "StateKeysSupport"],
      linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux, .android]))]),
    // Layer 5: states and parameters in the safetensors format.
    .target(name: "Checkpoints", dependencies: ["ExplicitState", "RandomKeys", "TensorLayers", "StateKeysSupport"]),
    // Layer 6: optimizers whose state is a State keyed by the parameters' paths.
    .target(
      name: "Training", dependencies: ["ExplicitState", "TensorLayers", "StateKeysSupport"],
      linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux, .android]))]),
    // A model and its state as a self-contained HTML page, and the diff of two states.
    .target(name: "StateViews", dependencies: ["ExplicitState", "TensorLayers", "DataEffects", "StateKeysSupport"]),
    // A worked port of Penzai V1's Gemma, on the layers above: an example model, not part of the
    // umbrella module.
    .target(name: "PenzaiGemma", dependencies: ["ExplicitState", "TensorLayers", "DataEffects", "Checkpoints"]),
    // Umbrella module: re-exports the layers above.
    .target(
      name: "StateKeys",
      dependencies: ["ExplicitState", "RandomKeys", "TensorLayers", "DataEffects", "Checkpoints", "Training", "StateViews"]),
    // The demo learns the UCI digits, shipped with their source and license (digits-source.md).
    .executableTarget(
      name: "demo", dependencies: ["StateKeys"], exclude: ["Resources/digits-source.md"],
      resources: [.copy("Resources/digits.csv")]),
    // Generates tokens with the ported Gemma from a prompt on the command line.
    .executableTarget(name: "gemma-generate", dependencies: ["PenzaiGemma"]),
    // Times the package on the anchors' workloads; run in release mode.
    .executableTarget(name: "benchmark", dependencies: ["StateKeys", "PenzaiGemma", "SystemMalloc"]),
    // The C allocator's statistics (glibc's `mallinfo2`), for the benchmark's memory figures.
    .systemLibrary(name: "SystemMalloc", path: "Sources/SystemMalloc"),
    .testTarget(name: "ExplicitStateTests", dependencies: ["ExplicitState"]),
    .testTarget(
      name: "RandomKeysTests", dependencies: ["RandomKeys"],
      resources: [.copy("Golden/jax_random.json"), .copy("Golden/jax_long_draws.json")]),
    // Fixtures that several test targets share: a seeded generator and Inox's MLP.
    .target(name: "TestSupport", dependencies: ["ExplicitState", "RandomKeys", "TensorLayers"], path: "Tests/TestSupport"),
    .testTarget(name: "TensorLayersTests", dependencies: ["TensorLayers", "TestSupport"]),
    .testTarget(name: "DataEffectsTests", dependencies: ["DataEffects"]),
    .testTarget(name: "RobustnessTests", dependencies: ["StateKeys", "PenzaiGemma", "TestSupport"]),
    .testTarget(
      name: "CheckpointsTests", dependencies: ["Checkpoints", "TestSupport"],
      resources: [.copy("Fixtures/inox_mlp_state.safetensors"), .copy("Fixtures/inox_mlp_batchnorm_state.safetensors")]),
    .testTarget(name: "GuideTests", dependencies: ["StateKeys", "PenzaiGemma", "StateViews"]),
    .testTarget(
      name: "TrainingTests", dependencies: ["Training", "Checkpoints", "DataEffects", "TestSupport"],
      resources: [.copy("Golden/optax_steps.json"), .copy("Golden/inox_mlp_grad.json")]),
    .testTarget(name: "StateViewsTests", dependencies: ["StateViews", "DataEffects", "TestSupport"]),
    .testTarget(
      name: "GemmaTests", dependencies: ["PenzaiGemma", "Checkpoints", "DataEffects"],
      resources: [.copy("Fixtures/gemma_tiny.safetensors"), .copy("Fixtures/gemma_tiny_golden.json")]),
  ],
  swiftLanguageModes: [.v6]
)
