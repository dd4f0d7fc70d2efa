import ExplicitState

/// Two float entries, named like Inox's `Moments` statistics.
struct Pair: StateVisitable, Equatable {
  var first: StateEntry<Float>
  var second: StateEntry<Float>

  init(_ first: Float = 0, _ second: Float = 1) {
    self.first = StateEntry(first)
    self.second = StateEntry(second)
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("first", &first)
    visitor.visit("second", &second)
  }
}

/// A tree exercising every kind of child: fields, arrays, optionals, dictionaries.
struct Tree: StateVisitable, Equatable {
  var name = "tree"
  var stats = Pair()
  var layers: [Pair] = [Pair(1, 2), Pair(3, 4)]
  var maybe: Pair? = nil
  var named: [String: Pair] = ["z": Pair(5, 6), "b c": Pair(7, 8)]
  var numbered: [Int: StateEntry<Int>] = [10: StateEntry(10), 2: StateEntry(2)]
  var counter = StateEntry(0)

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("stats", &stats)
    visitor.visit("layers", &layers)
    visitor.visit("maybe", &maybe)
    visitor.visit("named", &named)
    visitor.visit("numbered", &numbered)
    visitor.visit("counter", &counter)
  }
}

/// A module of `count` float entries, for size tests.
struct Wide: StateVisitable {
  var entries: [StateEntry<Float>]

  init(count: Int) {
    entries = (0..<count).map { StateEntry(Float($0)) }
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("entries", &entries)
  }
}

/// A Python-style heterogeneous dictionary value: a plain number or an entry.
enum Leaf: StateVisitable, Equatable {
  case number(Int)
  case entry(StateEntry<[Float]>)

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    guard case .entry(var entry) = self else { return }
    visitor.visit(unnamed: &entry)
    self = .entry(entry)
  }
}
