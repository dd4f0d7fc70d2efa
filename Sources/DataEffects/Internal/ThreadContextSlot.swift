import StateKeysSupport

/// One pointer per thread: where the running handlers of a thread are found. The slot itself
/// is process-wide (`ProcessWideState.swift`).
enum ThreadContextSlot {
  /// The pointer stored for the current thread, `nil` until one is stored.
  @inline(__always)
  static var value: UnsafeMutableRawPointer? {
    get { slot.value }
    set { slot.value = newValue }
  }
}
