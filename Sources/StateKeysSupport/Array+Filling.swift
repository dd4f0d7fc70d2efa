extension Array where Element: BitwiseCopyable {
  /// An array of `count` elements that `body` initializes, all of them, in place.
  ///
  /// `Array(unsafeUninitializedCapacity:initializingWith:)` writes the new count into the
  /// array's storage, and for a count of 0 that storage is the process's one empty array: two
  /// threads making empty arrays at once write the same word, a data race that
  /// ThreadSanitizer reports. This initializer returns `[]` without calling `body` instead.
  ///
  /// - Throws: What `body` throws; the elements are then discarded.
  /// - Complexity: O(*count*) beyond `body`.
  @inlinable
  package init<Failure: Error>(
    count: Int, filling body: (UnsafeMutableBufferPointer<Element>) throws(Failure) -> Void
  ) throws(Failure) {
    assert(count >= 0, "a count of elements is not negative")
    guard count > 0 else {
      self = []
      return
    }
    var failure: Failure?
    self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
      do throws(Failure) {
        try body(buffer)
        initialized = count
      } catch {
        failure = error
        initialized = 0
      }
    }
    if let failure { throw failure }
  }
}
