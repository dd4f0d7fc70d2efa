import StateKeysSupport
import Synchronization

// Every piece of process-wide state in ExplicitState, in one file, with its growth and
// lifetime. Everything else in the module is a value or belongs to one state.
//
// - `PathRegistry.shared`: every path a key has spelled, for the life of the process. It grows
//   by about 50 bytes per path never seen before (a row in a chunk, a bucket of its index), and
//   not at all when the same model is exported again. `StateKey(existingPath:)` looks up
//   without growing it.
// - `PathHash.seed`: one word, fixed at start.
// - `EditToken`'s counter: one word, counting edits.
//
// Elsewhere in the package: `DataEffects/Internal/ProcessWideState.swift` (its caches of facts
// about types, and the thread's effect context), and `TensorLayers`' thread-local scope of
// deferred errors (`Differentiation/DeferredErrors.swift`). Constants such as the empty
// state's storage are not listed: they never change.

extension PathRegistry {
  /// The registry of this process: every path a key has spelled, kept for the life of the
  /// process. Writers take its lock; readers of published paths (comparing and printing keys)
  /// take none.
  @usableFromInline static let shared = PathRegistry()
}

extension PathHash {
  /// The per-process seed of the path registry's hash, so that names from untrusted files
  /// cannot be chosen to collide.
  static let seed = Hashing.finalized(UInt64.random(in: .min ... .max))
}

/// The tokens that `State.edit(_:)` stamps the trie objects it owns with: a process-wide
/// counter, so that no two edits ever share one.
///
/// A token reused by a later edit could make it take a stamp left by an earlier edit on an
/// object that has since become shared as its own, and write into another state's values.
@usableFromInline
enum EditToken {
  private static let counter = Atomic<Int>(0)

  /// The last token given out: no object can carry a larger stamp.
  static var lastIssued: Int {
    counter.load(ordering: .relaxed)
  }

  /// A token no edit has had before; never 0, which marks objects no edit owns.
  ///
  /// - Complexity: O(1); one atomic increment.
  @usableFromInline
  static func next() -> Int {
    counter.wrappingAdd(1, ordering: .relaxed).newValue
  }
}
