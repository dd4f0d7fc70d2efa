import ExplicitState
import StateKeysSupport

/// Facts about types kept for the life of the process, behind a lock: what a walk's own
/// `TypeKeyedCache` asks when it meets a type for the first time.
///
/// A type's facts never change, so a value once stored is final. The lock is not held while
/// a fact is worked out, so two threads may both work out the same fact; the first stored
/// wins and both get it.
// Working out a fact costs far more than a lock: formatting a type's name with
// `String(describing:)` tests the metatype for several printing protocols, and the runtime
// scans every conformance record of the process for each test, every time (about 18,000
// instructions); a conformance test of a node's type costs thousands more. Without this, each
// `handleLocalStates` paid that again for every type of the model.
final class ProcessTypeCache<Value: Sendable>: @unchecked Sendable {
  /// The core's mutex, one implementation for the package.
  private let lock = ProcessMutex()
  // Behind a pointer, guarded by `lock`: stored properties would be checked for exclusive
  // access at run time.
  private let values = PointerBox<[ObjectIdentifier: Value]>([:])

  init() {}

  /// The fact for `type`, worked out by `make` if no thread has stored it yet.
  ///
  /// - Complexity: O(1) expected once stored.
  func value(for type: Any.Type, _ make: () -> Value) -> Value {
    let id = ObjectIdentifier(type)
    if let stored = lock.withLock({ values.pointee[id] }) { return stored }
    let made = make()
    return lock.withLock {
      if let stored = values.pointee[id] { return stored }
      values.pointee[id] = made
      return made
    }
  }
}
