import Synchronization

/// A mutex for the package's process-wide tables: the path registry and `DataEffects`' caches
/// of facts about types. Package access: one implementation for every module.
///
/// `Synchronization`'s `Mutex`, in a class so that the tables' owners can hold it as a `let`
/// and lend it out; the tables themselves sit behind their own pointers (see
/// `PathRegistry`), so the mutex guards no value of its own.
package final class ProcessMutex: Sendable {
  @usableFromInline let mutex = Mutex<Void>(())

  package init() {}

  /// Runs `body` holding the mutex.
  @inlinable @inline(__always)
  package func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
    try mutex.withLock { _ in try body() }
  }
}
