/// An error reading or writing a checkpoint; each message names the file, the key, what was
/// expected and what was found.
public enum CheckpointError: Error, Hashable, Sendable {
  /// The file is shorter than its header says, or than the 8 bytes of the header's length.
  case truncated(expected: Int, found: Int)
  /// The header length is larger than the file, or than the format allows.
  case headerTooLarge(length: UInt64, fileSize: Int)
  /// The header is not JSON, or not the object safetensors expects.
  case malformedHeader(String)
  /// A tensor's data type is not one this package reads.
  case unsupportedDType(key: String, dtype: String)
  /// A tensor's shape, data type and byte count disagree, or its offsets are out of range.
  case invalidTensor(key: String, reason: String)
  /// Two tensors' data overlap, or the data has bytes no tensor covers.
  case invalidLayout(String)
  /// The file's keys are not the model's: both lists are given.
  case keyMismatch(missing: [String], extra: [String])
  /// A tensor does not have the data type or shape the model's value has.
  case valueMismatch(key: String, expected: String, found: String)
  /// A value of the state has a type that checkpoints cannot store.
  case unsupportedValue(key: String, type: String)
  /// A prefix of a file of several states is empty or holds a slash.
  case invalidPrefix(String)
  /// Two tensors of one file would have the same name.
  case duplicateName(String)
  /// The file could not be read or written.
  case io(path: String, reason: String)
}

extension CheckpointError: CustomStringConvertible {
  /// A sentence naming what was expected and what was found.
  public var description: String {
    switch self {
    case .truncated(let expected, let found):
      return "The checkpoint is truncated: expected at least \(expected) bytes, found \(found)."
    case .headerTooLarge(let length, let size):
      if length > UInt64(SafetensorsFile.maximumHeaderLength) {
        return "The checkpoint's header claims \(length) bytes, more than the \(SafetensorsFile.maximumHeaderLength) "
          + "bytes a safetensors header may have."
      }
      return "The checkpoint's header claims \(length) bytes, but only \(size - 8) bytes follow its length."
    case .malformedHeader(let reason):
      return "The checkpoint's header is not a safetensors header: \(reason)."
    case .unsupportedDType(let key, let dtype):
      return "Tensor '\(key)' has data type \(dtype); expected one of F32, F64, I32, I64, U32, BOOL."
    case .invalidTensor(let key, let reason):
      return "Tensor '\(key)' is invalid: \(reason)."
    case .invalidLayout(let reason):
      return "The checkpoint's data layout is invalid: \(reason)."
    case .keyMismatch(let missing, let extra):
      var parts: [String] = []
      if !missing.isEmpty { parts.append("missing from the file: " + listing(missing)) }
      if !extra.isEmpty { parts.append("not in the model: " + listing(extra)) }
      return "The checkpoint does not match the model; " + parts.joined(separator: "; ") + "."
    case .valueMismatch(let key, let expected, let found):
      return "Tensor '\(key)': expected \(expected), found \(found)."
    case .unsupportedValue(let key, let type):
      return "The value at '\(key)' has type \(type), which checkpoints cannot store; store tensors, "
        + "numbers, booleans, arrays of them, random keys, or StateVisitable structures of these."
    case .invalidPrefix(let prefix):
      return "The prefix '\(prefix)' cannot name a state in a checkpoint; expected a prefix that is not empty and holds no '/'."
    case .duplicateName(let name):
      return "Two tensors are named '\(name)'; expected every name of a checkpoint to be unique."
    case .io(let path, let reason):
      return "Cannot access the checkpoint '\(path)': \(reason)."
    }
  }
}

/// The first names of `names` and how many there are in all, so that a message stays short
/// however many tensors differ.
func listing(_ names: [String], limit: Int = 10) -> String {
  let shown = names.prefix(limit).joined(separator: ", ")
  return names.count <= limit ? shown : "\(names.count) names, the first \(limit): \(shown), ..."
}
