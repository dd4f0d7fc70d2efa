import ExplicitState

/// Returns a handler ID for a handler with `tag` over `subtree`, or checks an explicit one:
/// Penzai's `infer_or_check_handler_id`.
///
/// An explicit ID is returned as given, unless the subtree already uses it. Otherwise the ID
/// is `"{tag}_{hex}"`, the shortest prefix (at least `minimumHashLength` digits) of a digest
/// of the subtree's structure that no handler or reference inside already uses. Unlike
/// Penzai's, the digest is the same in every run for the same model: it covers type names,
/// paths and the static fields of effect slots, never closures or array values.
///
/// - Throws: `EffectError.handlerIDExists` for an explicit ID already in use, and
///   `EffectError.handlerIDCollision` if every prefix of the digest is.
/// - Complexity: O(*n*) in the size of the subtree.
public func inferOrCheckHandlerID<Tree: StateVisitable>(
  tag: String, subtree: Tree, explicitID: HandlerID? = nil, minimumHashLength: Int = 5
) throws(EffectError) -> HandlerID {
  var walk = StructureDigestWalk()
  var copy = subtree
  walk.visitNode(&copy)
  return try walk.digest.handlerID(tag: tag, explicitID: explicitID, minimumHashLength: minimumHashLength)
}

/// A digest of a tree's structure, and the handler IDs the tree already uses: what a handler
/// needs to infer or check its ID.
///
/// It feeds type names, path components and the static description of every effect slot
/// into FNV-1a. Each piece of text is followed by a terminator byte, so that pieces cannot run
/// together; a piece may be written in parts (`combine(_:_:)`, or a slot writing its
/// description): the bytes, and so the IDs, are the same as for the concatenated piece,
/// without building it.
///
/// Walks call its hooks as they go: `StructureDigestWalk` does nothing else, and the walk of
/// `handleLocalStates` collects the local states in the same pass.
struct StructureDigest: TextOutputStream {
  private(set) var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  /// The IDs of the handlers and references met, each once.
  private(set) var handlerIDs: [HandlerID] = []

  /// The ID for a handler with `tag` over the digested tree, or the explicit one, checked:
  /// see `inferOrCheckHandlerID(tag:subtree:explicitID:minimumHashLength:)`.
  func handlerID(tag: String, explicitID: HandlerID?, minimumHashLength: Int) throws(EffectError) -> HandlerID {
    if let explicitID {
      guard !handlerIDs.contains(explicitID) else { throw .handlerIDExists(explicitID) }
      return explicitID
    }
    let hex = String(hash, radix: 16)
    let digest = String(repeating: "0", count: 16 - hex.count) + hex
    let longID = tag + "_" + digest
    let conflicts = handlerIDs.filter { longID.hasPrefix($0) }
    for length in max(1, minimumHashLength)...digest.count {
      let candidate = tag + "_" + digest.prefix(length)
      if !conflicts.contains(candidate) { return candidate }
    }
    throw .handlerIDCollision(longID)
  }

  /// Digests the bytes of `text`, without ending the piece: the digest's `TextOutputStream`
  /// conformance, through which slots write their descriptions.
  mutating func write(_ text: String) {
    var text = text
    var hash = self.hash
    text.withUTF8 { bytes in
      for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
      }
    }
    self.hash = hash
  }

  /// Ends the piece of text written so far.
  mutating func terminate() {
    hash ^= 0xff
    hash = hash &* 0x0000_0100_0000_01b3
  }

  mutating func combine(_ text: String) {
    write(text)
    terminate()
  }

  /// Digests `first + second` as one piece.
  mutating func combine(_ first: String, _ second: String) {
    write(first)
    write(second)
    terminate()
  }

  private mutating func note(_ id: HandlerID) {
    if !handlerIDs.contains(id) { handlerIDs.append(id) }
  }

  /// The walk moved down to `component`.
  mutating func enter(_ component: PathComponent) {
    switch component {
    case .field(let name): combine(".", name)
    case .index(let index): combine("[\(index)]")
    case .key(let key): combine("['" + key + "']")
    case .name(let name): combine("name ", name)
    }
  }

  /// The walk moved back up.
  mutating func exit() { combine("exit") }

  /// The walk reached an entry holding a `Value`.
  mutating func entry<Value>(_ type: Value.Type, typeNames: inout TypeNameCache) {
    combine("entry")
    combine(typeNames.fullName(Value.self))
  }

  /// The walk reached `node`, of kind `kind`; the walk itself goes on into its children.
  mutating func node<Node>(_ node: inout Node, kind: NodeKinds.Kind, typeNames: inout TypeNameCache) {
    combine("node")
    combine(typeNames.fullName(Node.self))
    switch kind {
    case .slot(_, let localState?):
      digestLocalState(&node, as: localState, typeNames: &typeNames)
    case .slot(let slot, nil):
      digestSlot(&node, as: slot)
    case .handler(let handler):
      digestHandler(&node, as: handler)
    case .other:
      break
    }
  }

  /// A local-state slot's description, its value type named through the cache.
  private mutating func digestLocalState<Node, Slot: LocalStateSlot>(
    _ node: inout Node, as type: Slot.Type, typeNames: inout TypeNameCache
  ) {
    _ = withNode(&node, as: Slot.self) { slot in
      slot.writeStructure(to: &self, valueTypeName: typeNames.fullName(Slot.valueType))
      terminate()
      if let id = slot.handlerID { note(id) }
    }
  }

  private mutating func digestSlot<Node, Slot: EffectSlot>(_ node: inout Node, as type: Slot.Type) {
    _ = withNode(&node, as: Slot.self) { slot in
      combine(slot.structureDescription)
      if let id = slot.handlerID { note(id) }
    }
  }

  private mutating func digestHandler<Node, Handler: EffectHandler>(_ node: inout Node, as type: Handler.Type) {
    _ = withNode(&node, as: Handler.self) { handler in
      combine("handler ", handler.handlerID)
      note(handler.handlerID)
    }
  }
}

/// A walk that only digests: what handlers other than local state infer their IDs from.
struct StructureDigestWalk: StateVisitor {
  static var isReadOnly: Bool { true }

  private(set) var digest = StructureDigest()
  private var typeNames = TypeNameCache()
  private var kinds = NodeKinds()

  mutating func enter(_ component: PathComponent) { digest.enter(component) }
  mutating func exit() { digest.exit() }
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {
    digest.entry(Value.self, typeNames: &typeNames)
  }

  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    let kind = kinds.kind(of: Node.self)
    digest.node(&node, kind: kind, typeNames: &typeNames)
    if case .slot = kind { return }
    node.visitChildren(&self)
  }
}
