#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Android)
  import Android
#endif

/// One pointer per thread, under a key made once: where `DataEffects` finds the running
/// handlers of a thread, and `TensorLayers` its scope of deferred errors. Package access: one
/// implementation for every module.
///
/// A POSIX thread-specific key rather than Swift's task-local values, which follow tasks and
/// not threads, and cost a lookup through the task's chain of values.
package final class ThreadLocalPointer: Sendable {
  /// The key, or `nil` if the process has used up its keys: the slot then reads as empty and
  /// ignores writes.
  @usableFromInline let key: pthread_key_t?

  package init() {
    var key = pthread_key_t()
    self.key = pthread_key_create(&key, nil) == 0 ? key : nil
  }

  /// The pointer stored for the current thread, `nil` until one is stored.
  @inlinable
  package var value: UnsafeMutableRawPointer? {
    get { key.flatMap { pthread_getspecific($0) } }
    set {
      if let key { _ = pthread_setspecific(key, newValue) }
    }
  }
}
