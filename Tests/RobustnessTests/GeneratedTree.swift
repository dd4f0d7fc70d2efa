import DataEffects
import ExplicitState
import TestSupport

/// A randomly generated module tree: structs of named fields, arrays, optionals, dictionaries
/// with `String` and `Int` keys, state entries of several types at every depth, and local-state
/// requests, so that one tree exercises export, import, updates and handling.
indirect enum GeneratedTree: Layer, Equatable {
  case floatEntry(StateEntry<Float>)
  case intEntry(StateEntry<Int>)
  case arrayEntry(StateEntry<[Float]>)
  case localState(LocalStateEffect<Float>)
  case plain(Int)
  case record([String], [GeneratedTree])
  case list([GeneratedTree])
  case optional(GeneratedTree?)
  case named([String: GeneratedTree])
  case numbered([Int: GeneratedTree])

  /// A tree of about `budget` nodes, drawn from `generator`.
  static func make(_ generator: inout SplitMix64, budget: Int, depth: Int = 0) -> GeneratedTree {
    // The root is always a container; below it, containers are likely while budget remains.
    let leafOnly = budget <= 1 || depth >= 8
    let container = depth == 0 || (!leafOnly && Int.random(in: 0..<100, using: &generator) < (budget > 4 ? 92 : 30))
    let choice = container ? Int.random(in: 5..<10, using: &generator) : Int.random(in: 0..<5, using: &generator)
    let value = Float(Int.random(in: -1000...1000, using: &generator)) / 8
    switch choice {
    case 0: return .floatEntry(StateEntry(value))
    case 1: return .intEntry(StateEntry(Int(value)))
    case 2: return .arrayEntry(StateEntry([value, -value]))
    case 3: return .localState(.initial(category: Bool.random(using: &generator) ? "a" : "b") { value })
    case 4: return .plain(Int(value))
    default: break
    }
    let count = Int.random(in: 1...max(1, min(10, budget)), using: &generator)
    let share = max(1, (budget - 1) / max(count, 1))
    func children(_ generator: inout SplitMix64) -> [GeneratedTree] {
      (0..<count).map { _ in make(&generator, budget: share, depth: depth + 1) }
    }
    switch choice {
    case 5: return .record((0..<count).map { "f\($0)" }, children(&generator))
    case 6: return .list(children(&generator))
    case 7: return .optional(Bool.random(using: &generator) ? make(&generator, budget: budget - 1, depth: depth + 1) : nil)
    case 8:
      let items = children(&generator)
      return .named(Dictionary(uniqueKeysWithValues: items.enumerated().map { ("k\($0.offset * 7 % 11)-\($0.offset)", $0.element) }))
    default:
      let items = children(&generator)
      return .numbered(Dictionary(uniqueKeysWithValues: items.enumerated().map { ($0.offset * 3 - 5, $0.element) }))
    }
  }

  /// The number of state entries in the tree.
  var entryCount: Int {
    switch self {
    case .floatEntry, .intEntry, .arrayEntry: return 1
    case .localState, .plain: return 0
    case .record(_, let children), .list(let children): return children.reduce(0) { $0 + $1.entryCount }
    case .optional(let child): return child?.entryCount ?? 0
    case .named(let children): return children.values.reduce(0) { $0 + $1.entryCount }
    case .numbered(let children): return children.values.reduce(0) { $0 + $1.entryCount }
    }
  }

  /// Sums every local state, so calls read (and change) them.
  func callAsFunction(_ x: Float) throws -> Float {
    switch self {
    case .localState(let cell):
      let total = try cell.get() + x
      try cell.set(total)
      return total
    case .record(_, let children), .list(let children):
      return try children.reduce(0) { try $0 + $1(x) }
    case .optional(let child): return try child?(x) ?? 0
    case .named(let children): return try children.keys.sorted().reduce(0) { try $0 + children[$1, default: .plain(0)](x) }
    case .numbered(let children): return try children.keys.sorted().reduce(0) { try $0 + children[$1, default: .plain(0)](x) }
    default: return 0
    }
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    switch self {
    case .floatEntry(var entry):
      visitor.visitNode(&entry)
      self = .floatEntry(entry)
    case .intEntry(var entry):
      visitor.visitNode(&entry)
      self = .intEntry(entry)
    case .arrayEntry(var entry):
      visitor.visitNode(&entry)
      self = .arrayEntry(entry)
    case .localState(var cell):
      visitor.visitNode(&cell)
      self = .localState(cell)
    case .plain:
      break
    case .record(let names, var children):
      for index in children.indices { visitor.visit(names[index], &children[index]) }
      self = .record(names, children)
    case .list(var children):
      children.visitChildren(&visitor)
      self = .list(children)
    case .optional(var child):
      child.visitChildren(&visitor)
      self = .optional(child)
    case .named(var children):
      children.visitChildren(&visitor)
      self = .named(children)
    case .numbered(var children):
      children.visitChildren(&visitor)
      self = .numbered(children)
    }
  }

  static func == (lhs: GeneratedTree, rhs: GeneratedTree) -> Bool {
    switch (lhs, rhs) {
    case (.floatEntry(let a), .floatEntry(let b)): return a == b
    case (.intEntry(let a), .intEntry(let b)): return a == b
    case (.arrayEntry(let a), .arrayEntry(let b)): return a == b
    case (.localState(let a), .localState(let b)): return a.structureDescription == b.structureDescription && a.frozenValue == b.frozenValue
    case (.plain(let a), .plain(let b)): return a == b
    case (.record(let n1, let c1), .record(let n2, let c2)): return n1 == n2 && c1 == c2
    case (.list(let a), .list(let b)): return a == b
    case (.optional(let a), .optional(let b)): return a == b
    case (.named(let a), .named(let b)): return a == b
    case (.numbered(let a), .numbered(let b)): return a == b
    default: return false
    }
  }
}

extension LocalStateEffect where Value == Float {
  /// The value of a frozen request, for comparing trees.
  var frozenValue: Float? {
    if case .frozen(let request) = self { return request.state }
    return nil
  }
}
