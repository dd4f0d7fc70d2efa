import ExplicitState

/// Layers by name, as a dictionary: the body Penzai's tests give handlers as a plain `dict`.
///
/// Walks see it as Python sees a dictionary, with no field of its own, so its states are named
/// as Penzai names those of a dictionary body: `['a']/ExampleLayerWithAState.accumulator`.
/// Called, it runs each layer on the same input, in the order of the names, and returns their
/// outputs by name.
///
/// ```swift
/// let body = LayerDictionary(["a": first, "b": second])   // two layers with local state
/// let (handled, state) = try handleLocalStates(body, category: "example_state")
/// // state's keys: "['a']/ExampleLayerWithAState.accumulator", "['b']/..."
/// let (outputs, newState) = try handled((Float(1), state))    // outputs["a"], outputs["b"]
/// ```
///
/// `Dictionary` itself cannot be a `Layer`: a conformance would need every dictionary of
/// layers to be callable, and Swift's conditional conformances cannot say what calling means.
public struct LayerDictionary: Layer {
  /// The layers by name.
  public var layers: [String: AnyLayer]

  /// Creates the dictionary.
  public init(_ layers: [String: any Layer]) {
    self.layers = layers.mapValues { AnyLayer($0) }
  }

  /// Runs each layer on `input`, in the order of the names.
  ///
  /// - Throws: The first error a layer throws, such as `LayerError.inputTypeMismatch` for a
  ///   layer that does not take `input`'s type.
  /// - Complexity: One call of each layer, after sorting the names.
  public func callAsFunction(_ input: any Sendable) throws -> [String: any Sendable] {
    var outputs: [String: any Sendable] = [:]
    for name in layers.keys.sorted() {
      guard let layer = layers[name] else { continue }
      outputs[name] = try layer(input)
    }
    return outputs
  }

  /// Visits the layers as a dictionary at this node's path: `['a']`, `['b']`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit(unnamed: &layers)
  }
}
