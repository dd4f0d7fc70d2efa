#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#endif
import DataEffects
import ExplicitState
import TensorLayers

/// The tag of the tokens' positions, a side input: Penzai's `"token_positions"`.
public let tokenPositionsTag: SideInputTag = "token_positions"

/// Rotary position embeddings over the projection axis, with the tokens' positions from a
/// side input: Penzai's `ApplyRoPE` (maximum wavelength 10,000).
///
/// For a vector of *p* elements at position *t*, pair *i* < *p*/2 turns by the angle
/// *t* / 10000^(2*i*/*p*): `(a, b) ↦ (a cos − b sin, b cos + a sin)`, where `a` is element *i*
/// and `b` element *i* + *p*/2.
public struct ApplyRoPE: StateVisitable, Sendable {
  /// The positions, one per token.
  public var positions: SideInputEffect<[Int]>
  /// The longest wavelength.
  public let maxWavelength: Float

  /// Rotary embeddings with positions from the side input `tokenPositionsTag`.
  public init(maxWavelength: Float = 10_000) {
    positions = .request(tokenPositionsTag)
    self.maxWavelength = maxWavelength
  }

  /// Rotates `values`, `[s, heads, projection]` in row-major order, by the positions of its
  /// `s` tokens.
  ///
  /// - Throws: `GemmaError.positionCountMismatch` when the side input has not one position
  ///   per token, and `EffectError` when no handler provides it.
  func rotate(_ values: inout [Float], tokens: Int, heads: Int, projection: Int) throws {
    let positions = try positions.ask()
    guard positions.count == tokens else { throw GemmaError.positionCountMismatch(expected: tokens, found: positions.count) }
    let half = projection / 2
    // As Penzai computes them: 2i/p, then 10000 to that power, in Float.
    var timescales = [Float](repeating: 0, count: half)
    for i in 0..<half { timescales[i] = powf(maxWavelength, Float(2 * i) / Float(projection)) }
    var sines = [Float](repeating: 0, count: half), cosines = [Float](repeating: 0, count: half)
    values.withUnsafeMutableBufferPointer { buffer in
      for token in 0..<tokens {
        for i in 0..<half {
          let angle = Float(positions[token]) / timescales[i]
          sines[i] = sinf(angle)
          cosines[i] = cosf(angle)
        }
        for head in 0..<heads {
          let base = (token * heads + head) * projection
          for i in 0..<half {
            let first = buffer[base + i], second = buffer[base + half + i]
            buffer[base + i] = first * cosines[i] - second * sines[i]
            buffer[base + half + i] = second * cosines[i] + first * sines[i]
          }
        }
      }
    }
  }

  /// Visits `.positions`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("positions", &positions)
  }
}

/// The tag of the attention mask, a side input: Penzai's `"attn_mask"`.
public let attentionMaskTag: SideInputTag = "attn_mask"

/// Masks attention scores with a side input: Penzai's `ApplyAttentionMask`, which puts
/// −2.3819763 × 10³⁸ where the mask is false.
public struct ApplyAttentionMask: StateVisitable, Sendable {
  /// The mask, `[s, kvSeq]`: nonzero where a query token may attend to a key.
  public var mask: SideInputEffect<Tensor>
  /// What masked scores become.
  public let maskedOutValue: Float

  /// A mask from the side input `attentionMaskTag`.
  public init(maskedOutValue: Float = -2.381_976_3e38) {
    mask = .request(attentionMaskTag)
    self.maskedOutValue = maskedOutValue
  }

  /// Visits `.mask`.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("mask", &mask)
  }
}
