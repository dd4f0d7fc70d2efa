/// What goes wrong when a Gemma model is loaded or run; each message names what was expected
/// and what was found.
public enum GemmaError: Error, Hashable, Sendable {
  /// A prompt with no tokens.
  case emptyPrompt
  /// A token outside the vocabulary, at `position` of the prompt.
  case tokenOutOfVocabulary(position: Int, token: Int, vocabularySize: Int)
  /// More tokens than fit after the cache's end.
  case cacheOverflow(end: Int, tokens: Int, cacheLength: Int)
  /// A positions side input without one position per token.
  case positionCountMismatch(expected: Int, found: Int)
  /// An attention mask of another shape than `[tokens, keys]`.
  case maskShapeMismatch(expected: [Int], found: [Int])
}

extension GemmaError: CustomStringConvertible {
  /// A sentence naming what was expected and what was found.
  public var description: String {
    switch self {
    case .emptyPrompt:
      return "Gemma: expected a prompt of at least one token, found none."
    case .tokenOutOfVocabulary(let position, let token, let vocabularySize):
      return "Gemma: token \(position) of the prompt is \(token); expected a token in 0..<\(vocabularySize)."
    case .cacheOverflow(let end, let tokens, let cacheLength):
      return "Gemma: \(tokens) tokens from position \(end) do not fit in a cache of \(cacheLength); "
        + "expected at most \(max(0, cacheLength - end))."
    case .positionCountMismatch(let expected, let found):
      return "Gemma: expected \(expected) token positions, one per token, found \(found)."
    case .maskShapeMismatch(let expected, let found):
      return "Gemma: expected an attention mask of shape \(expected), found \(found)."
    }
  }
}
