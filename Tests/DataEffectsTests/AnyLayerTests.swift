import DataEffects
import ExplicitState
import Testing

/// A reference input, to check that subclasses pass as their superclass.
private class Message: @unchecked Sendable {
  let text: String
  init(_ text: String) { self.text = text }
}

private final class LoudMessage: Message, @unchecked Sendable {}

/// Reads a message's text.
private struct Reader: Layer {
  func callAsFunction(_ message: Message) throws -> String { message.text }
  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {}
}

/// Describes whatever it is given.
private struct Describer: Layer {
  func callAsFunction(_ value: any Sendable) throws -> String { "\(value)" }
  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {}
}

@Suite("AnyLayer: inputs of any type, checked against each layer's Input")
struct AnyLayerTests {
  @Test func anInputOfExactlyTheInputTypeIsTaken() throws {
    #expect(try AnyLayer(ConstantRescale(by: 2))(Float(3)) as? Float == 6)
    #expect(try AnyLayer(Reader())(Message("hi")) as? String == "hi")
  }

  @Test func aSubclassPassesAsItsSuperclass() throws {
    #expect(try AnyLayer(Reader())(LoudMessage("HI")) as? String == "HI")
  }

  @Test func anExistentialInputTakesAnything() throws {
    #expect(try AnyLayer(Describer())(42) as? String == "42")
    #expect(try Sequential([Describer(), Describer()])(Float(1.5)) as? String == "1.5")
  }

  @Test func anInputOfAnotherTypeThrowsNamingBoth() throws {
    #expect(throws: LayerError.inputTypeMismatch(layer: "Reader", expected: "Message", found: "Int")) {
      try AnyLayer(Reader())(7)
    }
    #expect(throws: LayerError.inputTypeMismatch(layer: "Reader", expected: "Message", found: "String")) {
      try Sequential([Describer(), Reader()])("text")
    }
  }
}
