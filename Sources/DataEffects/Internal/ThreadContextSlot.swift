#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Android)
  import Android
#endif

/// One pointer per thread: where the running handlers of a thread are found.
enum ThreadContextSlot {
  /// The key of the slot, made once per process; `nil` if the process has used up its keys,
  /// when the slot reads as empty and effect accesses report their handlers as not running.
  private static let key: pthread_key_t? = {
    var key = pthread_key_t()
    return pthread_key_create(&key, nil) == 0 ? key : nil
  }()

  /// The pointer stored for the current thread, `nil` until one is stored.
  static var value: UnsafeMutableRawPointer? {
    get { key.flatMap { pthread_getspecific($0) } }
    set {
      if let key { _ = pthread_setspecific(key, newValue) }
    }
  }
}
