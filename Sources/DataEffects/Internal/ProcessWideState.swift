import StateKeysSupport

// Every piece of process-wide state in DataEffects, in one file. Everything else in the
// module is a value, or belongs to one walk or one handled call.
//
// Elsewhere in the package: `ExplicitState/ProcessWideState.swift` (the path registry, its
// hash seed and the edit tokens), and `TensorLayers`' thread-local scope of deferred errors
// (`DeferredErrorScope.slot`).

extension ThreadContextSlot {
  /// The per-thread pointer to the running handlers' context.
  static let slot = ThreadLocalPointer()
}

extension TypeNameCache {
  /// The names of every type met by any walk so far.
  static let formatted = ProcessTypeCache<Names>()
}

extension NodeKinds {
  /// The kinds of every type met by any walk so far.
  static let known = ProcessTypeCache<Kind>()
}
