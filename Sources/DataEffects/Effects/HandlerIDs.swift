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
  var typeNames = TypeNameCache()
  return try inferOrCheckHandlerID(
    tag: tag, subtree: subtree, explicitID: explicitID, minimumHashLength: minimumHashLength, typeNames: &typeNames)
}

/// `inferOrCheckHandlerID(tag:subtree:explicitID:minimumHashLength:)`, leaving in `typeNames`
/// the names of the subtree's types for the handler's next walk.
///
/// One walk both digests the subtree and lists the IDs it already uses.
func inferOrCheckHandlerID<Tree: StateVisitable>(
  tag: String, subtree: Tree, explicitID: HandlerID?, minimumHashLength: Int = 5, typeNames: inout TypeNameCache
) throws(EffectError) -> HandlerID {
  if let explicitID {
    guard !allHandlerIDs(subtree).contains(explicitID) else { throw .handlerIDExists(explicitID) }
    return explicitID
  }
  var walk = StructureDigest(typeNames: typeNames)
  var copy = subtree
  walk.visitNode(&copy)
  typeNames = walk.typeNames
  let digest = walk.hexDigest
  let longID = tag + "_" + digest
  let conflicts = walk.handlerIDs.filter { longID.hasPrefix($0) }
  for length in max(1, minimumHashLength)...digest.count {
    let candidate = tag + "_" + digest.prefix(length)
    if !conflicts.contains(candidate) { return candidate }
  }
  throw .handlerIDCollision(longID)
}

/// The walk behind handler IDs: it feeds type names, path components and the static
/// description of every effect slot into FNV-1a, and lists the handler IDs it meets.
///
/// Each piece of text is followed by a terminator byte, so that pieces cannot run together.
/// A piece may be fed in parts (`combine(_:_:)`): the bytes, and so the IDs, are the same as
/// for the concatenated piece, without building it.
struct StructureDigest: StateVisitor, TextOutputStream {
  private(set) var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  /// The IDs of the handlers and references met, each once.
  private(set) var handlerIDs: [HandlerID] = []
  private(set) var typeNames: TypeNameCache
  private var kinds = NodeKinds()

  init(typeNames: TypeNameCache = TypeNameCache()) {
    self.typeNames = typeNames
  }

  /// The digest as 16 hexadecimal digits.
  var hexDigest: String {
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
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

  mutating func enter(_ component: PathComponent) {
    switch component {
    case .field(let name): combine(".", name)
    case .index(let index): combine("[\(index)]")
    case .key(let key): combine("['" + key + "']")
    case .name(let name): combine("name ", name)
    }
  }
  mutating func exit() { combine("exit") }
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {
    combine("entry")
    combine(typeNames.fullName(Value.self))
  }

  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    combine("node")
    combine(typeNames.fullName(Node.self))
    switch kinds.kind(of: Node.self) {
    case .slot(_, let localState?):
      digestLocalState(&node, as: localState)
    case .slot(let slot, nil):
      digestSlot(&node, as: slot)
    case .handler(let handler):
      digestHandler(&node, as: handler)
      node.visitChildren(&self)
    case .other:
      node.visitChildren(&self)
    }
  }

  /// A local-state slot's description, its value type named through the cache.
  private mutating func digestLocalState<Node, Slot: LocalStateSlot>(_ node: inout Node, as type: Slot.Type) {
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
