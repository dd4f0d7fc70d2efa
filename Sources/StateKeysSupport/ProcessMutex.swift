#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Android)
  import Android
#endif

/// A mutex for the package's process-wide tables: the path registry and `DataEffects`' caches
/// of facts about types. Package access: one implementation for every module.
///
/// A POSIX mutex behind a pointer, so that it has a stable address. Not `Synchronization`'s
/// `Mutex`: on Linux it waits on futexes directly, which ThreadSanitizer does not see, so every
/// access to a table it guards was reported as a race (measured; the edit tokens' `Atomic`, by
/// contrast, is instrumented).
package final class ProcessMutex: @unchecked Sendable {
  @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>

  package init() {
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deinitialize(count: 1)
    mutex.deallocate()
  }

  /// Runs `body` holding the mutex.
  @inlinable @inline(__always)
  package func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body()
  }
}
