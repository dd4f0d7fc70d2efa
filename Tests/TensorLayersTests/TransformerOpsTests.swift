import Foundation
import TensorLayers
import Testing

/// The operations a transformer needs, against their definitions in JAX.
@Suite("Transformer operations: gather, softmax, GELU, rotations, cache writes")
struct TransformerOpsTests {
  @Test func rowsGatherInTheGivenOrder() throws {
    let table = try Tensor(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21])
    #expect(try table.rows(at: [2, 0, 2]) == Tensor(shape: [3, 2], scalars: [20, 21, 0, 1, 20, 21]))
    #expect(try table.rows(at: []).shape == [0, 2])
    #expect(throws: TensorError.indexOutOfRange(position: 1, index: -1, count: 3)) { try table.rows(at: [0, -1]) }
    #expect(throws: TensorError.invalidShape([])) { try Tensor(1).rows(at: [0]) }
  }

  @Test func softmaxRowsSumToOneAndSurviveMaskedScores() throws {
    let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, -2.381_976_3e38, 0, -2.381_976_3e38])
    let y = softmax(x).scalars
    let e1 = Float(M_E), e2 = e1 * e1
    let total = 1 + e1 + e2
    #expect(abs(y[0] - 1 / total) < 1e-6 && abs(y[1] - e1 / total) < 1e-6 && abs(y[2] - e2 / total) < 1e-6)
    #expect(y[3...] == [0, 1, 0])
  }

  @Test func geluIsJAXsTanhApproximation() throws {
    // jax.nn.gelu(x) for x = -3, -1, 0, 0.5, 2 (approximate=True), float32.
    let x = Tensor([-3, -1, 0, 0.5, 2])
    let expected: [Float] = [-0.0036373441, -0.15880796, 0, 0.34571403, 1.9545977]
    for (value, want) in zip(gelu(x).scalars, expected) { #expect(abs(value - want) <= 1e-6 * max(1, abs(want))) }
  }

  @Test func sinesCosinesAndReciprocalRoots() {
    let x = Tensor([0, 1, 4])
    #expect(x.sin().scalars == [0, sinf(1), sinf(4)])
    #expect(x.cos().scalars == [1, cosf(1), cosf(4)])
    #expect(Tensor([1, 4, 0.25]).reciprocalSquareRoot().scalars == [1, 0.5, 2])
  }

  @Test func replacingRowsWritesOnlyThoseRowsAndChecksTheFit() throws {
    var cache = try Tensor.zeros([4, 2])
    let copy = cache
    try cache.replaceRows(startingAt: 1, with: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
    #expect(cache.scalars == [0, 0, 1, 2, 3, 4, 0, 0])
    #expect(copy.scalars == Array(repeating: 0, count: 8), "a copy made before keeps its values")
    #expect(throws: TensorError.self) { try cache.replaceRows(startingAt: 3, with: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])) }
    #expect(throws: TensorError.self) { try cache.replaceRows(startingAt: 0, with: Tensor(shape: [1, 3], scalars: [1, 2, 3])) }
    #expect(cache.scalars == [0, 0, 1, 2, 3, 4, 0, 0])
  }
}
