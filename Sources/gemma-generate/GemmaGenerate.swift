import Foundation
import PenzaiGemma

/// Generates tokens with the tiny Gemma of the tests' fixture, greedily, from a prompt of
/// token numbers given on the command line.
@main
struct GemmaGenerate {
  static let usage = """
    Usage: gemma-generate [--steps N] [--cache N] [--parameters PATH] TOKEN...

    Loads Penzai V1's tiny Gemma (2 blocks, 4 heads, embedding 64, vocabulary 256) from a
    .safetensors file of Penzai's parameter names, prefills the prompt into the key-value
    caches and prints the tokens that greedy decoding gives, one step per token, as Penzai's
    simple_decoding_loop does. The tokens are numbers in 0..<256 (the fixture has no tokenizer);
    the tests' prompts start with 2.

      --steps N          tokens to generate (default 32)
      --cache N          the caches' length in tokens, at least the prompt's (default 64)
      --parameters PATH  the parameters (default: Tests/GemmaTests/Fixtures/gemma_tiny.safetensors,
                         from the package's folder, which make_penzai_gemma.py writes)
      --help             show this text

    Example: swift run gemma-generate 2 17 99 5 200 31 8
    """

  struct Options {
    var steps = 32
    var cacheLength = 64
    var parameters = "Tests/GemmaTests/Fixtures/gemma_tiny.safetensors"
    var prompt: [Int] = []

    init(_ arguments: [String]) throws {
      var remaining = arguments[...]
      while let argument = remaining.popFirst() {
        if argument.hasPrefix("--") {
          guard ["--steps", "--cache", "--parameters"].contains(argument) else {
            throw UsageError("unknown option \(argument) (gemma-generate --help lists them)")
          }
          guard let value = remaining.popFirst() else { throw UsageError("\(argument) needs a value") }
          switch argument {
          case "--steps":
            guard let steps = Int(value), steps >= 1 else { throw UsageError("--steps needs a whole number of 1 or more, found \(value)") }
            self.steps = steps
          case "--cache":
            guard let length = Int(value), length >= 1 else { throw UsageError("--cache needs a whole number of 1 or more, found \(value)") }
            cacheLength = length
          default:
            parameters = value
          }
        } else {
          guard let token = Int(argument) else { throw UsageError("a token is a whole number, found \(argument)") }
          prompt.append(token)
        }
      }
    }
  }

  struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.contains("--help") || arguments.contains("-h") {
      print(usage)
      return
    }
    do {
      let options = try Options(arguments)
      guard !options.prompt.isEmpty else { throw GemmaError.emptyPrompt }
      guard options.prompt.count + options.steps - 1 <= options.cacheLength else {
        throw UsageError(
          "the prompt's \(options.prompt.count) tokens and \(options.steps) generated ones need a cache of "
            + "\(options.prompt.count + options.steps - 1), found --cache \(options.cacheLength)")
      }
      let model = try GemmaTransformer(configuration: .tiny).loadingPenzaiParameters(from: options.parameters)
      let (cached, initial) = try GemmaKVCachingTransformer.fromUncached(model, cacheLength: options.cacheLength)
      let tokens = try GemmaDecoder.greedyTokens(cached, initialState: initial, prompt: options.prompt, padID: 0, steps: options.steps)
      print(tokens.map(String.init).joined(separator: " "))
    } catch {
      FileHandle.standardError.write(Data("gemma-generate: \(error)\n".utf8))
      exit(1)
    }
  }
}
