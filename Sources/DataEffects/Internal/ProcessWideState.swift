import StateKeysSupport

// Every piece of process-wide state in DataEffects, in one file, with its growth and
// lifetime. Everything else in the module is a value, or belongs to one walk or one handled
// call.
//
// - `ThreadContextSlot.slot`: one thread-specific key for the process; each thread's value is
//   set only while a handled call runs on it.
// - `TypeNameCache.formatted` and `NodeKinds.known`: one entry per type any walk has met, for
//   the life of the process: a program's model types, a few hundred bytes each.
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
