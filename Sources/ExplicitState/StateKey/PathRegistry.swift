import StateKeysSupport

/// The paths of every key the process has made, each stored once and named by a number.
///
/// A `StateKey` is the number of its path here plus a slot hint: two integers. Keys are then
/// compared and hashed in O(1) whichever export made them, and copying a key, or a module
/// full of them, counts no references. A path is interned the first time a key spells it
/// and kept for the life of the process, like a symbol: the table grows only with paths never
/// seen before, so exporting the same model again adds nothing.
///
/// Path 0 is the empty path. A path is stored as its parent's number and its last component,
/// so the paths of one model share their prefixes. A lock guards the table; it is held only
/// inside this type, never while other code runs.
@usableFromInline
final class PathRegistry: @unchecked Sendable {
  /// A stored path: its parent and last component, in 32 bytes.
  struct Row {
    let component: PathComponent
    /// The hash of `(parent, component)`, 32 bits of it, kept for growing the index.
    let hash: UInt32
    let parent: Int
  }

  /// The registry of this process.
  @usableFromInline static let shared = PathRegistry()

  /// The number of the empty path.
  @usableFromInline static let root = 0

  /// The stored paths, guarded by `lock`.
  struct Table {
    /// Path `n` is `rows[n - 1]`.
    var rows: [Row] = []
    /// Path number for each bucket of an open-addressing index of `(parent, component)`, 0
    /// for an empty bucket; a power-of-two count, at most three quarters full.
    var buckets = [Int](repeating: 0, count: 1024)
    /// The paths with a component that cannot be part of a key (see
    /// `PathComponent.invalidity(after:)`), which exports refuse: kept apart from the rows,
    /// since there are seldom any, so that checking a path is usually one test of emptiness.
    var invalid = Set<Int>()
  }

  private let lock = ProcessMutex()
  // Behind a pointer rather than in stored properties, which Swift would check for exclusive
  // access at run time on every use: a sixth of an export's instructions. The lock gives the
  // exclusivity.
  private let table: UnsafeMutablePointer<Table>

  private init() {
    table = .allocate(capacity: 1)
    table.initialize(to: Table())
  }

  deinit {
    table.deinitialize(count: 1)
    table.deallocate()
  }

  /// Runs `body` with the table, holding the lock.
  private func withTable<Result>(_ body: (inout Table) throws -> Result) rethrows -> Result {
    try lock.withLock { try body(&table.pointee) }
  }

  /// Appends to `paths` the numbers of the paths `components` spells, from the prefix of
  /// `paths.count` components on: `paths[i]` becomes the path of `components[...i]`.
  ///
  /// `paths` must hold the numbers of the shorter prefixes already, as the exporter's stack
  /// does; one lock covers all the new components.
  ///
  /// `next` is the number the caller expects the next path to have, checked before the
  /// index is searched, and is set to the one after the last path found. Paths are numbered
  /// in the order they are first made, so an export of a model exported before finds each
  /// path at the number after the previous one: it reads the table in order instead of at
  /// random places in the index, which at 200,000 entries is most of an export's time.
  ///
  /// Returns whether the whole path is a valid key's (see `PathComponent.invalidity(after:)`).
  ///
  /// - Complexity: O(*k*) expected for *k* new components, plus the length of their names.
  @usableFromInline
  func extend(_ paths: inout [Int], along components: [PathComponent], next: inout Int) -> Bool {
    guard paths.count < components.count else { return true }
    return withTable { table in
      var parent = paths.last ?? Self.root
      for index in paths.count..<components.count {
        parent = table.intern(parent: parent, component: components[index], expected: next)
        paths.append(parent)
        next = parent + 1
      }
      return table.invalid.isEmpty || !table.invalid.contains(parent)
    }
  }

  /// The number of the path `components` spells.
  ///
  /// - Complexity: O(*n*) expected in the number and length of the components.
  func path<C: Collection<PathComponent>>(of components: C) -> Int {
    if components.isEmpty { return Self.root }
    return withTable { table in
      var parent = Self.root
      for component in components {
        parent = table.intern(parent: parent, component: component, expected: 0)
      }
      return parent
    }
  }

  /// The components of path `path`, from the root down.
  ///
  /// - Complexity: O(*n*) in the depth of the path.
  func components(of path: Int) -> [PathComponent] {
    withTable { table in
      var path = path
      var result: [PathComponent] = []
      while path > 0, path <= table.rows.count {
        let row = table.rows[path - 1]
        result.append(row.component)
        path = row.parent
      }
      result.reverse()
      return result
    }
  }
}

extension PathRegistry.Table {
  /// The number of `parent` extended by `component`, made if new; path `expected`, if it is
  /// that path, is found without searching the index.
  mutating func intern(parent: Int, component: PathComponent, expected: Int) -> Int {
    if expected > 0, expected <= rows.count {
      let row = rows[expected - 1]
      if row.parent == parent, row.component == component { return expected }
    }
    // 32 bits of hash, as rows keep: more would place paths where growing would not.
    let hash = Int(UInt32(truncatingIfNeeded: PathHash.extending(parent, with: component)))
    var mask = buckets.count - 1
    var bucket = hash & mask
    while case let stored = buckets[bucket], stored != 0 {
      let row = rows[stored - 1]
      if row.parent == parent, row.component == component { return stored }
      bucket = (bucket + 1) & mask
    }
    if (rows.count + 1) * 4 > buckets.count * 3 {
      grow()
      mask = buckets.count - 1
      bucket = hash & mask
      while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
    }
    // A path is invalid when its parent is or its last component may not follow the parent's.
    let parentComponent = parent == PathRegistry.root ? nil : rows[parent - 1].component
    let isInvalid = invalid.contains(parent) || component.invalidity(after: parentComponent) != nil
    rows.append(PathRegistry.Row(component: component, hash: UInt32(truncatingIfNeeded: hash), parent: parent))
    buckets[bucket] = rows.count
    if isInvalid { invalid.insert(rows.count) }
    return rows.count
  }

  /// Doubles the index and places every stored path again.
  private mutating func grow() {
    var grown = [Int](repeating: 0, count: buckets.count * 2)
    let mask = grown.count - 1
    for (offset, row) in rows.enumerated() {
      var bucket = Int(row.hash) & mask
      while grown[bucket] != 0 { bucket = (bucket + 1) & mask }
      grown[bucket] = offset + 1
    }
    buckets = grown
  }
}
