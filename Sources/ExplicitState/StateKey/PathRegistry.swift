import StateKeysSupport
import Synchronization

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

  /// The number of the empty path.
  @usableFromInline static let root = 0

  /// The stored paths. Written only under `lock`; `rows` can also be read without it, up to
  /// the count `published` gives.
  struct Table {
    /// Path `n` is `rows[n]`.
    var rows = RowStore()
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
  private let table: PointerBox<Table>
  /// The rows' chunk directory, the pointer the table's `rows` hold too: readers without the
  /// lock read rows through it, never through the table, which writers hold `inout`.
  private let rowReader: RowStore.Reader
  /// How many rows readers without the lock may read: stored, with release ordering, after
  /// the rows it covers are written, so that a reader that loads it with acquire ordering
  /// sees them whole. Rows never move or change once written.
  private let published = Atomic<Int>(0)
  /// Whether some stored path cannot be part of a key: set, with the rows that make it so, and
  /// never cleared. While it is not, every stored path is valid, and an export can take paths
  /// it finds published without the lock.
  private let hasInvalidPaths = Atomic<Bool>(false)

  init() {
    let table = Table()
    rowReader = table.rows.reader
    self.table = PointerBox(table)
  }

  deinit {
    table.pointee.rows.deallocate()
  }

  /// Runs `body` with the table, holding the lock, and publishes the rows it added.
  private func withTable<Result>(_ body: (inout Table) throws -> Result) rethrows -> Result {
    try lock.withLock {
      let before = table.pointee.rows.count
      defer {
        let after = table.pointee.rows.count
        if after != before {
          if !table.pointee.invalid.isEmpty { hasInvalidPaths.store(true, ordering: .relaxed) }
          published.store(after, ordering: .releasing)
        }
      }
      return try body(&table.pointee)
    }
  }

  /// Appends to `paths` the numbers of the paths `components` spells, from the prefix of
  /// `paths.count` components on: `paths[i]` becomes the path of `components[...i]`.
  ///
  /// `paths` must hold the numbers of the shorter prefixes already, as the exporter's stack
  /// does; one lock covers all the new components.
  ///
  /// `next` is the number the caller expects the next path to have, checked before the
  /// index is searched, and is set to the one after the last path found.
  ///
  /// Returns whether the whole path is a valid key's (see `PathComponent.invalidity(after:)`).
  ///
  /// - Complexity: O(*k*) expected for *k* new components, plus the length of their names.
  // Paths are numbered in the order they are first made, so an export of a model exported
  // before finds each path at the number after the previous one: it reads the table in order
  // instead of at random places in the index, which at 200,000 entries was most of an export's
  // time.
  @usableFromInline
  func extend(_ paths: inout [Int], along components: [PathComponent], next: inout Int) -> Bool {
    guard paths.count < components.count else { return true }
    // Without the lock first: a model exported before finds each path published at `next`, in
    // rows that never change, and, while no stored path is invalid, every path is valid.
    let count = published.load(ordering: .acquiring)
    if !hasInvalidPaths.load(ordering: .relaxed) {
      var parent = paths.last ?? Self.root
      while paths.count < components.count, next >= 1, next <= count {
        let row = rowReader[next]
        guard row.parent == parent, row.component == components[paths.count] else { break }
        parent = next
        paths.append(next)
        next += 1
      }
      if paths.count == components.count { return true }
    }
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

  /// The number of paths stored.
  var storedPathCount: Int { published.load(ordering: .acquiring) }

  /// The number of the path `components` spells, if it is stored; stores nothing.
  ///
  /// - Complexity: O(*n*) expected in the number and length of the components.
  func existingPath<C: Collection<PathComponent>>(of components: C) -> Int? {
    if components.isEmpty { return Self.root }
    return withTable { table in
      var parent = Self.root
      for component in components {
        guard let found = table.find(parent: parent, component: component) else { return nil }
        parent = found
      }
      return parent
    }
  }

  /// The components of path `path`, from the root down.
  ///
  /// Takes no lock: a key's path was published before the key existed, and published rows
  /// never change, so comparing and printing keys never waits for an export.
  ///
  /// - Complexity: O(*n*) in the depth of the path.
  func components(of path: Int) -> [PathComponent] {
    let count = published.load(ordering: .acquiring)
    let rows = rowReader
    var path = path
    var result: [PathComponent] = []
    while path > 0, path <= count {
      let row = rows[path]
      result.append(row.component)
      path = row.parent
    }
    result.reverse()
    return result
  }
}

extension PathRegistry.Table {
  /// The number of `parent` extended by `component`, if it is stored.
  func find(parent: Int, component: PathComponent) -> Int? {
    probe(parent: parent, component: component, hash: Self.hash(parent: parent, component: component)).found
  }

  /// The index's hash of a path: 32 bits, as rows keep, since more would place paths where
  /// growing would not.
  static func hash(parent: Int, component: PathComponent) -> Int {
    Int(UInt32(truncatingIfNeeded: PathHash.extending(parent, with: component)))
  }

  /// Searches the index for `parent` extended by `component`: its number if stored, and
  /// otherwise the empty bucket where it would go.
  func probe(parent: Int, component: PathComponent, hash: Int) -> (found: Int?, empty: Int) {
    let mask = buckets.count - 1
    var bucket = hash & mask
    while case let stored = buckets[bucket], stored != 0 {
      let row = rows[stored]
      if row.parent == parent, row.component == component { return (stored, bucket) }
      bucket = (bucket + 1) & mask
    }
    return (nil, bucket)
  }

  /// The number of `parent` extended by `component`, made if new; path `expected`, if it is
  /// that path, is found without searching the index.
  mutating func intern(parent: Int, component: PathComponent, expected: Int) -> Int {
    if expected > 0, expected <= rows.count {
      let row = rows[expected]
      if row.parent == parent, row.component == component { return expected }
    }
    let hash = Self.hash(parent: parent, component: component)
    var (found, bucket) = probe(parent: parent, component: component, hash: hash)
    if let found { return found }
    if (rows.count + 1) * 4 > buckets.count * 3 {
      grow()
      let mask = buckets.count - 1
      bucket = hash & mask
      while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
    }
    // A path is invalid when its parent is or its last component may not follow the parent's.
    let parentComponent = parent == PathRegistry.root ? nil : rows[parent].component
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
    for path in stride(from: 1, through: rows.count, by: 1) {
      var bucket = Int(rows[path].hash) & mask
      while grown[bucket] != 0 { bucket = (bucket + 1) & mask }
      grown[bucket] = path
    }
    buckets = grown
  }
}

extension PathRegistry {
  /// The rows of the paths, appended in chunks that never move: chunk *k* holds 1,024 × 2*ᵏ*
  /// rows, so that a reader on another thread can read any published row while the writer
  /// appends, with no lock and no copy as the table grows.
  struct RowStore {
    /// The chunks' first rows; a fixed directory, allocated once, so that it never moves.
    let chunks: UnsafeMutablePointer<UnsafeMutablePointer<Row>?>
    /// The number of rows written.
    private(set) var count = 0

    private static let firstChunkShift = 10
    /// Chunks enough for 2⁵⁰ rows, far more than memory holds.
    private static let chunkCount = 40

    init() {
      chunks = .allocate(capacity: Self.chunkCount)
      chunks.initialize(repeating: nil, count: Self.chunkCount)
    }

    /// Frees the rows and the directory; the registry calls it once, from its `deinit`.
    func deallocate() {
      for chunk in 0..<Self.chunkCount {
        guard let rows = chunks[chunk] else { continue }
        let written = min(max(0, count - Self.firstRow(ofChunk: chunk)), Self.capacity(ofChunk: chunk))
        rows.deinitialize(count: written)
        rows.deallocate()
      }
      chunks.deallocate()
    }

    /// Path `path`'s row; `path` is in `1...count`.
    @inline(__always)
    subscript(path: Int) -> Row {
      assert(path >= 1 && path <= count, "a written row")
      return reader[path]
    }

    /// A view that reads rows through the chunk directory, for readers without the lock.
    var reader: Reader { Reader(chunks: chunks) }

    /// Appends `row`, as path `count + 1`.
    mutating func append(_ row: Row) {
      let (chunk, offset) = Self.place(of: count + 1)
      if offset == 0 {
        assert(chunks[chunk] == nil, "a new chunk starts empty")
        chunks[chunk] = .allocate(capacity: Self.capacity(ofChunk: chunk))
      }
      assert(chunks[chunk] != nil, "the chunk of the new row exists")
      (chunks[chunk].unsafelyUnwrapped + offset).initialize(to: row)
      count += 1
    }

    /// Reads published rows.
    struct Reader {
      let chunks: UnsafeMutablePointer<UnsafeMutablePointer<Row>?>

      /// Path `path`'s row, which the caller knows is published.
      @inline(__always)
      subscript(path: Int) -> Row {
        let (chunk, offset) = RowStore.place(of: path)
        // Published rows are written, and their chunk with them.
        assert(chunks[chunk] != nil, "the chunk of a published row exists")
        return chunks[chunk].unsafelyUnwrapped[offset]
      }
    }

    /// The chunk and the offset in it of path `path`'s row.
    @inline(__always)
    static func place(of path: Int) -> (chunk: Int, offset: Int) {
      assert(path >= 1, "paths are numbered from 1")
      let shifted = path - 1 + (1 << firstChunkShift)
      let chunk = (Int.bitWidth - 1 - shifted.leadingZeroBitCount) - firstChunkShift
      return (chunk, shifted - (1 << (firstChunkShift + chunk)))
    }

    private static func capacity(ofChunk chunk: Int) -> Int { 1 << (firstChunkShift + chunk) }

    private static func firstRow(ofChunk chunk: Int) -> Int { (1 << (firstChunkShift + chunk)) - (1 << firstChunkShift) }
  }
}
