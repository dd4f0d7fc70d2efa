/// What a node of a model tree is to the effects layer, worked out once per type and walk.
///
/// A kind carries the node's type as the protocol it conforms to, so that a walk reaches a
/// slot's or a handler's requirements through `withNode(_:as:_:)`. Casting each node to a
/// protocol existential instead costs a conformance lookup per node, and unspecialized
/// casts look up the metadata of `Optional<Node>` each time: most of a walk's instructions.
struct NodeKinds {
  enum Kind: Sendable {
    /// An effect slot; `localState` is set for `LocalStateEffect`s.
    case slot(any EffectSlot.Type, localState: (any LocalStateSlot.Type)?)
    /// An effect handler.
    case handler(any EffectHandler.Type)
    /// Any other node, whose children the walk visits.
    case other
  }

  private var cache = TypeKeyedCache<Kind>()

  /// The kind of nodes of type `type`.
  mutating func kind<Node>(of type: Node.Type) -> Kind {
    cache.value(for: type) {
      Self.known.value(for: type) {
        if let slot = type as? any EffectSlot.Type { return .slot(slot, localState: type as? any LocalStateSlot.Type) }
        if let handler = type as? any EffectHandler.Type { return .handler(handler) }
        return .other
      }
    }
  }
}

/// Calls `body` with `node` seen as a `Seen`, the type `NodeKinds` found it to have; returns
/// `nil` without calling `body` if `Node` is another type.
///
/// This reinterprets nothing: the two types are the same, one known statically and one
/// opened from a protocol metatype.
func withNode<Node, Seen, Result>(
  _ node: inout Node, as type: Seen.Type, _ body: (inout Seen) throws -> Result
) rethrows -> Result? {
  guard Node.self == Seen.self else { return nil }
  return try withUnsafeMutablePointer(to: &node) { pointer in
    try UnsafeMutableRawPointer(pointer).withMemoryRebound(to: Seen.self, capacity: 1) { try body(&$0.pointee) }
  }
}

/// Calls `body` with the visitor at `visitor` seen as a `Walk`, which its caller has checked
/// `Visitor` is.
///
/// Takes a pointer argument, made from an `inout` visitor at the call, rather than calling
/// `withUnsafeMutablePointer`, whose closure the optimizer left generic where a slot hands
/// itself to a walk: the work the slot does there would then lose its specialization.
@inlinable @inline(__always)
func withVisitor<Visitor, Walk, Result>(
  _ visitor: UnsafeMutablePointer<Visitor>, as type: Walk.Type, _ body: (inout Walk) -> Result
) -> Result {
  body(&UnsafeMutableRawPointer(visitor).assumingMemoryBound(to: Walk.self).pointee)
}
