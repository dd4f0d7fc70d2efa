import ExplicitState

/// A model component with one input and one output: Penzai's V1 `Layer`.
///
/// Every layer takes a single argument, so layers compose through combinators such as
/// `Sequential`, and effect handlers wrap them without changing how they are called. A layer
/// is also a node of the model tree (`StateVisitable`): it names the children in which effect
/// requests may sit, so handlers can find them.
///
/// ```swift
/// struct ExampleLayerWithAState: Layer {
///   var accumulator: LocalStateEffect<Float>
///   func callAsFunction(_ x: Float) throws -> Float {
///     try accumulator.set(accumulator.get() + x)
///     return x
///   }
///   mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
///     visitor.visit("accumulator", &accumulator)
///   }
/// }
/// ```
public protocol Layer<Input, Output>: StateVisitable, Sendable {
  /// The type of the argument.
  associatedtype Input: Sendable
  /// The type of the result.
  associatedtype Output: Sendable

  /// Runs the layer.
  ///
  /// - Throws: An error of the layer's own, or `EffectError` when an effect it uses is not
  ///   handled.
  func callAsFunction(_ input: Input) throws -> Output

  /// Runs the layer on a value of any type, which must be an `Input`: how `AnyLayer`, and so
  /// `Sequential`, call their layers.
  ///
  /// Layers do not implement this. The default implementation is compiled for each layer
  /// type, so checking the input's type looks nothing up at run time.
  ///
  /// - Throws: `LayerError.inputTypeMismatch` naming both types when `input` is not an
  ///   `Input`, and whatever the layer throws.
  func callAsFunction(anyInput input: any Sendable) throws -> any Sendable
}

extension Layer {
  /// Runs the layer on `input` if it is an `Input`.
  ///
  /// - Throws: `LayerError.inputTypeMismatch` naming both types when `input` is not an
  ///   `Input`, and whatever the layer throws.
  @inlinable
  public func callAsFunction(anyInput input: any Sendable) throws -> any Sendable {
    guard let typed = Self.exactly(input) ?? input as? Input else { throw inputTypeMismatch(found: type(of: input)) }
    return try self(typed)
  }

  /// `value` when its type is exactly `Input`: one comparison of type metadata, where a cast
  /// from an existential goes through the runtime's general casting machinery.
  @inlinable
  static func exactly<Value: Sendable>(_ value: Value) -> Input? {
    guard Value.self == Input.self else { return nil }
    return unsafeBitCast(value, to: Input.self)
  }

  /// The error for an input of type `found`.
  @usableFromInline
  func inputTypeMismatch(found: Any.Type) -> LayerError {
    .inputTypeMismatch(
      layer: baseTypeName(Self.self), expected: String(describing: Input.self), found: String(describing: found))
  }
}

/// An error thrown when a layer gets an input it cannot take, or a combinator is misused.
public enum LayerError: Error, Hashable, Sendable {
  /// A layer in a dynamically typed position got a value of the wrong type.
  case inputTypeMismatch(layer: String, expected: String, found: String)
  /// An operation needs values of a kind the layer does not support.
  case unsupportedValue(layer: String, found: String)
}

extension LayerError: CustomStringConvertible {
  /// A sentence naming the layer, what it expected and what it got.
  public var description: String {
    switch self {
    case .inputTypeMismatch(let layer, let expected, let found):
      return "\(layer) expects an input of type \(expected), found a value of type \(found)."
    case .unsupportedValue(let layer, let found):
      return "\(layer) cannot take a value of type \(found)."
    }
  }
}

/// The name of a type without its generic arguments: `Sequential`, not `Sequential<Float>`.
func baseTypeName(_ type: Any.Type) -> String {
  baseTypeName(of: String(describing: type))
}

/// A type's name without its generic arguments, given its full name.
func baseTypeName(of fullName: String) -> String {
  String(fullName.prefix { $0 != "<" })
}
