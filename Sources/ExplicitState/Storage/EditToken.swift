import StateKeysSupport

/// The tokens that `State.edit(_:)` stamps the trie objects it owns with: a process-wide
/// counter, so that no two edits ever share one.
///
/// A token reused by a later edit could make it take a stamp left by an earlier edit on an
/// object that has since become shared as its own, and write into another state's values.
@usableFromInline
enum EditToken {
  private static let lock = ProcessMutex()
  // Guarded by `lock`.
  nonisolated(unsafe) private static var last = 0

  /// The last token given out: no object can carry a larger stamp.
  static var lastIssued: Int {
    lock.withLock { last }
  }

  /// A token no edit has had before; never 0, which marks objects no edit owns.
  ///
  /// - Complexity: O(1); one lock.
  @usableFromInline
  static func next() -> Int {
    lock.withLock {
      last += 1
      return last
    }
  }
}
