import ExplicitState
import StateKeysSupport

/// A local-state handler's runtime: the `State` its body reads and updates.
///
/// The state sits in a heap cell reached through a pointer rather than in a stored property.
/// A stored property of a class is checked for exclusive access at run time, for the whole
/// of a `modify`, so a layer that read one local state inside the `modify` of another
/// trapped with "simultaneous accesses", and every access paid for the check. Through the
/// pointer, accesses to different states nest freely; the runtime tracks the running
/// `modify` calls so that `LocalStateEffect` can refuse the one overlap that would alias, an
/// access to a state inside its own `modify`.
@usableFromInline
final class LocalStateRuntime: EffectRuntime {
  @usableFromInline let handlerID: HandlerID
  /// The identity of the handler running this call.
  let token: HandlerToken
  @usableFromInline let storage: PointerBox<Storage>

  /// What the runtime changes while the body runs.
  @usableFromInline
  struct Storage {
    @usableFromInline var state: State
    /// The innermost running `modify`, or `nil`.
    @usableFromInline var modifying: UnsafePointer<ModifyFrame>?
  }

  /// A running `modify`: a node of a list through the stack frames of the nested calls, so
  /// tracking them allocates nothing.
  @usableFromInline
  struct ModifyFrame {
    @usableFromInline let key: StateKey
    @usableFromInline let outer: UnsafePointer<ModifyFrame>?

    @inlinable
    init(key: StateKey, outer: UnsafePointer<ModifyFrame>?) {
      self.key = key
      self.outer = outer
    }
  }

  init(handlerID: HandlerID, token: HandlerToken, state: consuming State) {
    self.handlerID = handlerID
    self.token = token
    storage = PointerBox(Storage(state: state, modifying: nil))
  }

  /// Hands the state over, leaving an empty one: the handler's result.
  func takeState() -> State {
    var result = State()
    swap(&result, &storage.pointee.state)
    return result
  }

  /// Whether a `modify` of `key` is running, so that `key` may not be touched.
  @inlinable
  func isModifying(_ key: StateKey) -> Bool {
    storage.pointee.modifying != nil && isModifyingSlowly(key)
  }

  /// Walks the running `modify` calls: only reached inside one.
  @usableFromInline
  func isModifyingSlowly(_ key: StateKey) -> Bool {
    var frame = storage.pointee.modifying
    while let current = frame {
      if current.pointee.key == key { return true }
      frame = current.pointee.outer
    }
    return false
  }

  /// The value stored for `key`.
  @inlinable
  func value<Value: Sendable>(for key: StateKey, as type: Value.Type) throws -> Value {
    try storage.pointee.state.value(for: key, as: Value.self)
  }

  /// Replaces the value stored for `key`.
  @inlinable
  func update<Value: Sendable>(_ key: StateKey, to value: Value) throws {
    try storage.pointee.state.update(key, to: value)
  }

  /// Changes the value stored for `key` in place, noting that `key` is being modified.
  @inlinable @inline(__always)
  func modify<Value: Sendable, Result>(
    _ key: StateKey, as type: Value.Type, _ body: (inout Value) throws -> Result
  ) throws -> Result {
    let outer = storage.pointee.modifying
    var frame = ModifyFrame(key: key, outer: outer)
    return try withUnsafePointer(to: &frame) { frame in
      storage.pointee.modifying = frame
      defer { storage.pointee.modifying = outer }
      return try storage.pointee.state.modify(key, as: Value.self, body)
    }
  }
}
