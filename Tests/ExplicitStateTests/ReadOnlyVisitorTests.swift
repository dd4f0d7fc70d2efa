import ExplicitState
import Testing

private protocol AccessMode { static var isReadOnly: Bool { get } }
private enum Reads: AccessMode { static var isReadOnly: Bool { true } }
private enum Writes: AccessMode { static var isReadOnly: Bool { false } }

/// Collects the paths of entries, and says whether it only reads.
private struct PathCollector<Mode: AccessMode>: StateVisitor {
  static var isReadOnly: Bool { Mode.isReadOnly }
  var components: [PathComponent] = []
  var paths: [String] = []

  mutating func enter(_ component: PathComponent) { components.append(component) }
  mutating func exit() { components.removeLast() }
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {
    paths.append((try? StateKey(components))?.path ?? "(no key)")
  }
}

@Suite("Read-only visitors: the same walk, without copying shared storage")
struct ReadOnlyVisitorTests {
  @Test func aReadOnlyVisitorSeesWhatAWritingOneSees() {
    var reader = PathCollector<Reads>()
    var writer = PathCollector<Writes>()
    var first = Tree()
    var second = Tree()
    reader.visitNode(&first)
    writer.visitNode(&second)
    #expect(reader.paths == writer.paths)
    #expect(reader.paths.contains(".layers[1].second") && reader.paths.contains(".named['z'].first"))
  }

  @Test func arraysAndDictionariesAreNotCopiedForAReadOnlyVisitor() {
    let model = Tree()
    var copy = model
    var reader = PathCollector<Reads>()
    reader.visitNode(&copy)
    #expect(address(of: copy.layers) == address(of: model.layers))
    #expect(copy.named.values.map(\.first) == model.named.values.map(\.first))

    var written = model
    var writer = PathCollector<Writes>()
    writer.visitNode(&written)
    #expect(address(of: written.layers) != address(of: model.layers))
  }

  private func address(of array: [Pair]) -> UnsafeRawPointer? {
    array.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
  }
}
