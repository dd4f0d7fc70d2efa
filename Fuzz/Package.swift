// swift-tools-version: 6.0
// A libFuzzer target for the checkpoint reader, kept out of the main package because libFuzzer
// brings its own `main`. Build and run it as .ci/run does:
//   swift build --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
//   Fuzz/.build/debug/CheckpointFuzzer -runs=100000 Fuzz/Corpus
import PackageDescription

let package = Package(
  name: "StateKeysFuzz",
  dependencies: [.package(name: "StateKeys", path: "..")],
  targets: [
    .executableTarget(
      name: "CheckpointFuzzer",
      dependencies: [.product(name: "Checkpoints", package: "StateKeys"), .product(name: "ExplicitState", package: "StateKeys")])
  ],
  swiftLanguageModes: [.v6]
)
