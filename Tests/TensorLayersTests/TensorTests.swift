import RandomKeys
import TensorLayers
import Testing

@Suite("Tensor: shapes, broadcasting, reductions, products")
struct TensorTests {
  @Test func shapesAreChecked() throws {
    #expect(try Tensor(shape: [2, 3], scalars: Array(repeating: 1, count: 6)).count == 6)
    #expect(throws: TensorError.scalarCountMismatch(shape: [2, 3], count: 5)) {
      try Tensor(shape: [2, 3], scalars: Array(repeating: 1, count: 5))
    }
    #expect(throws: TensorError.invalidShape([2, -3])) { try Tensor.zeros([2, -3]) }
    #expect(throws: TensorError.invalidShape([Int.max, 2])) { try Tensor.ones([Int.max, 2]) }
    #expect(try Tensor.zeros([0, 4]).count == 0)
    #expect(Tensor(2).shape == [])
  }

  @Test func broadcastingFollowsNumPy() throws {
    let a = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect(try (a + Tensor([10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
    let column = try Tensor(shape: [2, 1], scalars: [100, 200])
    #expect(try (a + column).scalars == [101, 102, 103, 204, 205, 206])
    let row = try Tensor(shape: [1, 3], scalars: [1, 2, 3])
    #expect(try (column * row).shape == [2, 3])
    #expect(try (column * row).scalars == [100, 200, 300, 200, 400, 600])
    #expect(try (a - Tensor(1)).scalars == [0, 1, 2, 3, 4, 5])
    #expect(try (Tensor(12) / a).scalars == [12, 6, 4, 3, 2.4, 2])
    #expect(throws: TensorError.incompatibleShapes(operation: "+", [2, 3], [2])) { try a + Tensor([1, 2]) }
  }

  @Test func scalarArithmeticNeverFails() {
    let a = Tensor([1, -2, 4])
    #expect((0.5 * a + 1).scalars == [1.5, 0, 3])
    #expect((1 - a).scalars == [0, 3, -3])
    #expect((a / 2).scalars == [0.5, -1, 2])
    #expect((-a).scalars == [-1, 2, -4])
    #expect(a.squared().scalars == [1, 4, 16])
    #expect(relu(a).scalars == [1, 0, 4])
    #expect(Tensor([4, 9]).squareRoot().scalars == [2, 3])
  }

  @Test func reductions() throws {
    let a = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect(a.sum() == 21)
    #expect(a.mean() == 3.5)
    #expect(try a.sum(alongAxis: 0).scalars == [5, 7, 9])
    #expect(try a.sum(alongAxis: 1).scalars == [6, 15])
    #expect(try a.mean(alongAxis: 0).scalars == [2.5, 3.5, 4.5])
    #expect(try a.variance(alongAxis: 0).scalars == [2.25, 2.25, 2.25])
    #expect(throws: TensorError.invalidAxis(2, rank: 2)) { try a.sum(alongAxis: 2) }
  }

  @Test func reshaping() throws {
    let a = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect(try a.reshaped(to: [3, -1]).shape == [3, 2])
    #expect(throws: TensorError.scalarCountMismatch(shape: [4, -1], count: 6)) { try a.reshaped(to: [4, -1]) }
    #expect(throws: TensorError.scalarCountMismatch(shape: [5], count: 6)) { try a.reshaped(to: [5]) }
  }

  @Test func matrixProducts() throws {
    let a = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let b = try Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
    #expect(try matmul(a, b) == Tensor(shape: [2, 2], scalars: [4, 5, 10, 11]))
    #expect(try matmul(Tensor([1, 1, 1]), b) == Tensor([2, 2]))
    #expect(try matmul(a, Tensor([1, 0, 0])) == Tensor([1, 4]))
    #expect(try matmul(Tensor([1, 2]), Tensor([3, 4])) == Tensor(11))
    #expect(throws: TensorError.incompatibleShapes(operation: "matmul", [2, 3], [2, 2])) {
      try matmul(a, Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
    }
    #expect(throws: TensorError.incompatibleShapes(operation: "matmul", [], [2])) { try matmul(Tensor(1), Tensor([1, 2])) }
  }

  @Test func randomTensorsDrawFromKeys() throws {
    let key = RandomKey(seed: 42)
    #expect(try Tensor.uniform([2, 3], key: key).scalars == key.uniform(shape: [2, 3]))
    #expect(try Tensor.normal([4], key: key).scalars == key.normal(shape: [4]))
    #expect(throws: TensorError.invalidShape([-1])) { try Tensor.normal([-1], key: key) }
    #expect(throws: TensorError.random(.invalidBounds(minimum: 1, maximum: -1))) {
      try Tensor.uniform([2], key: key, minimum: 1, maximum: -1)
    }
  }

  @Test func printing() throws {
    #expect(try Tensor.zeros([16, 64]).stateSummary == "Float[16, 64]")
    #expect(Tensor(1).stateSummary == "Float[]")
    #expect(Tensor([0.5, -1]).description == "Tensor([2], [0.5, -1.0])")
    #expect(try Tensor.zeros([10]).description == "Tensor([10], [0.0, 0.0, 0.0, 0.0, …, 0.0, 0.0])")
    #expect(TensorError.incompatibleShapes(operation: "+", [2, 3], [2]).description == "+: shapes [2, 3] and [2] are incompatible.")
  }
}

@Suite("Tensor: shapes no machine could hold throw instead of trapping")
struct ImpossibleShapeTests {
  /// An empty tensor may have large dimensions, up to the limit; past it, even an empty shape
  /// is refused, so that no stride computed from it can overflow.
  @Test func emptyTensorsMayHaveLargeDimensionsUpToTheLimit() throws {
    #expect(try Tensor.zeros([1 << 40, 0]).count == 0)
    #expect(throws: TensorError.invalidShape([0, Int.max, 2])) { try Tensor.zeros([0, Int.max, 2]) }
  }

  @Test func productsAndBroadcastsTooLargeToHoldThrow() throws {
    let tall = try Tensor.zeros([1 << 40, 0])
    let wide = try Tensor.zeros([0, 1 << 40])
    #expect(throws: TensorError.invalidShape([1 << 40, 1 << 40])) { try matmul(tall, wide) }
    #expect(throws: TensorError.invalidShape([1 << 41])) { try Tensor.ones([1 << 41]) }
  }

  /// A shape under 2⁴⁰ elements but beyond this machine's memory throws, instead of passing
  /// the check and ending the process in the allocator.
  @Test func shapesBeyondThisMachinesMemoryThrow() throws {
    #expect(Tensor.maximumElementCount <= 1 << 40)
    #expect(throws: TensorError.invalidShape([1 << 40])) { try Tensor.zeros([1 << 40]) }
    #expect(throws: TensorError.invalidShape([Tensor.maximumElementCount + 1])) {
      try Tensor.zeros([Tensor.maximumElementCount + 1])
    }
    #expect(throws: RandomKeyError.invalidCount(1 << 40)) { try RandomKey(seed: 0).split(into: 1 << 40) }
    #expect(throws: TensorError.invalidShape([1 << 21, 1 << 21])) { try Tensor.normal([1 << 21, 1 << 21], key: RandomKey(seed: 0)) }
  }
}

@Suite("Tensor: in-place arithmetic")
struct InPlaceTensorTests {
  @Test func combiningAndCompoundAssignment() throws {
    var a = Tensor([1, 2, 3])
    try a.combine(with: Tensor([10, 20, 30])) { 0.5 * $0 + $1 }
    #expect(a.scalars == [10.5, 21, 31.5])
    try a += Tensor([0.5, 0, 0.5])
    #expect(a.scalars == [11, 21, 32])
    try a -= Tensor(1)
    #expect(a.scalars == [10, 20, 31])
    a *= 2
    #expect(a.scalars == [20, 40, 62])
    #expect(throws: TensorError.incompatibleShapes(operation: "combine(with:)", [3], [2])) { try a += Tensor([1, 2]) }
  }

  @Test func combiningTwoTensorsInOnePass() throws {
    var first = Tensor([1, 2, 3])
    var second = Tensor([4, 5, 6])
    try Tensor.combine(&first, &second, with: Tensor([10, 20, 30])) { a, b, x in
      a += x
      b *= x
    }
    #expect(first.scalars == [11, 22, 33] && second.scalars == [40, 100, 180])
    try Tensor.combine(&first, &second, with: Tensor(1)) { a, b, x in
      a -= x
      b -= 2 * x
    }
    #expect(first.scalars == [10, 21, 32] && second.scalars == [38, 98, 178])
    #expect(throws: TensorError.incompatibleShapes(operation: "combine(_:_:with:_:)", [3], [2])) {
      try Tensor.combine(&first, &second, with: Tensor([1, 2])) { _, _, _ in }
    }
    var short = Tensor([1, 2])
    #expect(throws: TensorError.incompatibleShapes(operation: "combine(_:_:with:_:)", [3], [2])) {
      try Tensor.combine(&first, &short, with: Tensor([1, 2, 3])) { _, _, _ in }
    }
    #expect(first.scalars == [10, 21, 32] && short.scalars == [1, 2])
  }

  @Test func aCopyIsNotChanged() throws {
    let original = Tensor([1, 2])
    var copy = original
    try copy += Tensor([1, 1])
    #expect(original.scalars == [1, 2] && copy.scalars == [2, 3])
  }
}

@Suite("matmul: the blocked kernel gives the textbook loop's sums, bit for bit")
struct MatmulKernelTests {
  /// The textbook product, each element summed over `p` in order.
  func textbook(_ a: Tensor, _ b: Tensor) -> [Float] {
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    var out = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var sum: Float = 0
        for p in 0..<k {
          #if STATEKEYS_FMA
            sum = sum.addingProduct(a.scalars[i * k + p], b.scalars[p * n + j])
          #else
            sum += a.scalars[i * k + p] * b.scalars[p * n + j]
          #endif
        }
        out[i * n + j] = sum
      }
    }
    return out
  }

  /// Shapes with row and column tails, a product split among the cores, and empty ones.
  @Test(arguments: [(1, 1, 1), (3, 5, 7), (4, 8, 8), (5, 3, 9), (7, 16, 17), (33, 10, 31), (256, 64, 64), (300, 129, 70), (0, 3, 4), (3, 0, 4)])
  func blockedEqualsTextbook(shape: (Int, Int, Int)) throws {
    let (m, k, n) = shape
    let a = try Tensor.normal([m, k], key: RandomKey(seed: m * 1_000 + k))
    let b = try Tensor.normal([k, n], key: RandomKey(seed: n * 1_000 + k + 7))
    let product = try matmul(a, b)
    #expect(product.shape == [m, n])
    #expect(product.scalars.map(\.bitPattern) == textbook(a, b).map(\.bitPattern))
  }

  @Test func vectorsKeepTheirRanks() throws {
    let matrix = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect(try matmul(Tensor([1, 1]), matrix) == Tensor([5, 7, 9]))
    #expect(try matmul(matrix, Tensor([1, 0, 1])) == Tensor([4, 10]))
    #expect(try matmul(Tensor([1, 2, 3]), Tensor([1, 2, 3])) == Tensor(14))
  }
}
