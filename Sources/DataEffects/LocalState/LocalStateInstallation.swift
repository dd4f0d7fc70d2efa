import ExplicitState

/// The second walk of `handleLocalStates`: replaces the requests the first walk took, in the
/// same order, with their references.
///
/// As with `LocalStateFreezer`, the walk only descends: each `LocalStateEffect` installs its
/// reference when handed to it, in `_accept(_:)` (specialized for its value type) or in
/// `visitChildren(_:)`. It meets the local-state slots in the order the first walk did, which
/// looked each node's kind up: the same nodes, in the same order.
@usableFromInline
struct LocalStateInstaller: SlotVisitor {
  /// For each local-state slot in walk order, whether to replace it.
  @usableFromInline let taken: [Bool]
  @usableFromInline let references: [HandledLocalStateRef]
  @usableFromInline var slot = 0
  @usableFromInline var reference = 0

  init(taken: [Bool], references: [HandledLocalStateRef]) {
    self.taken = taken
    self.references = references
  }

  /// Replaces `effect`'s request by its reference, if the first walk took it.
  @inlinable
  mutating func install<Value: Sendable>(_ effect: inout LocalStateEffect<Value>) {
    defer { slot += 1 }
    guard slot < taken.count, taken[slot], reference < references.count else { return }
    effect = .handled(references[reference])
    reference += 1
  }
}

/// The walk of `freezeLocalStates`: replaces one handler's references with frozen requests.
///
/// The walk itself only descends: each `LocalStateEffect` freezes itself when handed to it,
/// in `_accept(_:)` when met by `visit(_:_:)` or a container, with code specialized for its
/// value type where its layer is compiled, or in `visitChildren(_:)` when a parent hands it
/// to `visitNode(_:)` directly. Both run `freezeReference(of:from:seenNames:)`. No node's kind
/// is looked up: a node that is not a local-state slot is descended into, as before.
@usableFromInline
struct LocalStateFreezer: SlotVisitor {
  @usableFromInline let handlerID: HandlerID
  @usableFromInline let state: State
  @usableFromInline var seenNames: Set<String> = []
  @usableFromInline var error: Error?

  init(handlerID: HandlerID, state: State) {
    self.handlerID = handlerID
    self.state = state
  }

  /// Freezes `effect`, unless an earlier slot failed.
  @inlinable
  mutating func freeze<Value: Sendable>(_ effect: inout LocalStateEffect<Value>) {
    guard error == nil else { return }
    do {
      try effect.freezeReference(of: handlerID, from: state, seenNames: &seenNames)
    } catch {
      self.error = error
    }
  }
}
