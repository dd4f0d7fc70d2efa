import ExplicitState

/// An error thrown by training: each message names the key, what was expected and what was
/// found.
public enum TrainingError: Error, Hashable, Sendable {
  /// The gradients' keys are not the parameters': both lists are given.
  case gradientMismatch(missing: [StateKey], extra: [StateKey])
  /// A gradient does not have its parameter's shape.
  case shapeMismatch(StateKey, parameter: [Int], gradient: [Int])
  /// A parameter, gradient or optimizer state value has a type optimizers do not update.
  case unsupportedValue(StateKey, expected: String, found: String)
  /// The optimizer state was not made for these parameters by this optimizer.
  case stateMismatch(StateKey, expected: String)
  /// A hyperparameter outside its range, such as a negative learning rate.
  case invalidHyperparameter(name: String, value: Double, expected: String)
}

extension TrainingError: CustomStringConvertible {
  /// A sentence that names the key, what was expected and what was found.
  public var description: String {
    switch self {
    case .gradientMismatch(let missing, let extra):
      var parts: [String] = []
      if !missing.isEmpty { parts.append("no gradient for " + missing.prefix(10).map(\.description).joined(separator: ", ")) }
      if !extra.isEmpty { parts.append("gradients for no parameter: " + extra.prefix(10).map(\.description).joined(separator: ", ")) }
      return "The gradients do not match the parameters; " + parts.joined(separator: "; ") + "."
    case .shapeMismatch(let key, let parameter, let gradient):
      return "\(key): expected a gradient of the parameter's shape \(parameter), found \(gradient)."
    case .unsupportedValue(let key, let expected, let found):
      return "\(key): expected \(expected), found a value of type \(found)."
    case .stateMismatch(let key, let expected):
      return "The optimizer state has no \(expected) for \(key); expected the state this optimizer made for these parameters."
    case .invalidHyperparameter(let name, let value, let expected):
      return "\(name): expected \(expected), found \(value)."
    }
  }
}
