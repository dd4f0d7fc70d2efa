import ExplicitState
import StateKeysSupport

/// A digest of a tree's structure, and the handler IDs the tree already uses: what a handler
/// needs to infer or check its ID.
///
/// It digests type names, path components and the static fields of every effect slot. Each
/// piece of text is hashed on its own (FNV-1a over its bytes) and the piece's hash is mixed
/// into the digest as one word, so a type's name, which a model repeats at every node of that
/// type, is hashed once per walk. Structural events (a node, an exit, a kind of request) are
/// constant words. Local-state slots are digested field by field; other slots by their
/// `structureDescription`.
///
/// Walks call its hooks as they go: `StructureDigestWalk` does nothing else, and the walk of
/// `handleLocalStates` collects the local states in the same pass.
struct StructureDigest {
  private static let pieceBasis = Hashing.fnvOffsetBasis
  private var hash: UInt64 = 0x243f_6a88_85a3_08d3
  /// The FNV-1a hash of the piece being written.
  private var piece = pieceBasis
  /// The IDs of the handlers and references met, each once.
  private(set) var handlerIDs: [HandlerID] = []

  /// The digest of a whole piece of text, as `combine(_:)` digests it: what type names are
  /// cached as.
  static func pieceDigest(of text: String) -> UInt64 {
    var digest = StructureDigest()
    digest.write(text)
    return digest.piece
  }

  /// The digest as 16 hexadecimal digits.
  var hexDigest: String {
    // Finalized, so that every bit of the state moves every digit.
    let x = Hashing.finalized(hash)
    let hex = String(x, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// The ID for a handler with `tag` over the digested tree, or the explicit one, checked:
  /// see `inferOrCheckHandlerID(tag:subtree:explicitID:minimumHashLength:)`.
  func handlerID(tag: String, explicitID: HandlerID?, minimumHashLength: Int = 5) throws(EffectError) -> HandlerID {
    if let explicitID {
      guard !handlerIDs.contains(explicitID) else { throw .handlerIDExists(explicitID) }
      return explicitID
    }
    let digest = hexDigest
    let longID = tag + "_" + digest
    let conflicts = handlerIDs.filter { longID.hasPrefix($0) }
    for length in max(1, minimumHashLength)...digest.count {
      let candidate = tag + "_" + digest.prefix(length)
      if !conflicts.contains(candidate) { return candidate }
    }
    throw .handlerIDCollision(longID)
  }

  /// Mixes one word into the digest.
  private mutating func mix(_ word: UInt64) {
    hash = ((hash << 5) | (hash >> 59)) ^ word
    hash = hash &* 0x9e37_79b9_7f4a_7c15
  }

  /// Structural events, digested as words no piece of text is likely to hash to.
  private enum Event: UInt64 {
    case node = 0x6e6f_6465, exit = 0x6578_6974, entry = 0x656e_7472, handler = 0x6861_6e64
    case field = 0x6669_656c, index = 0x696e_6465, key = 0x6b65_7973, name = 0x6e61_6d65
    case initialRequest = 0x696e_6974, frozenRequest = 0x6672_6f7a, sharedRequest = 0x7368_6172
    case reference = 0x7265_6665, noName = 0x6e6f_6e65, explicitName = 0x6578_706c
  }

  private mutating func mix(_ event: Event) { mix(event.rawValue) }

  /// Digests the bytes of `text` into the piece being written.
  mutating func write(_ text: String) {
    piece = Hashing.fnv1a(text, continuing: piece)
  }

  /// Ends the piece of text written so far, mixing its hash into the digest.
  mutating func terminate() {
    mix(piece)
    piece = Self.pieceBasis
  }

  mutating func combine(_ text: String) {
    write(text)
    terminate()
  }

  private mutating func note(_ id: HandlerID) {
    if !handlerIDs.contains(id) { handlerIDs.append(id) }
  }

  /// The walk moved down to `component`.
  mutating func enter(_ component: PathComponent) {
    switch component {
    case .field(let name):
      mix(.field)
      combine(name)
    case .index(let index):
      mix(.index)
      mix(UInt64(UInt(bitPattern: index)))
    case .key(let key):
      mix(.key)
      combine(key)
    case .name(let name):
      mix(.name)
      combine(name)
    }
  }

  /// The walk moved back up.
  mutating func exit() { mix(.exit) }

  /// The walk reached an entry holding a `Value`.
  mutating func entry<Value>(_ type: Value.Type, typeNames: inout TypeNameCache) {
    mix(.entry)
    mix(typeNames.fullNameDigest(Value.self))
  }

  /// The walk reached `node`, of kind `kind`; the walk itself goes on into its children.
  mutating func node<Node>(_ node: inout Node, kind: NodeKinds.Kind, typeNames: inout TypeNameCache) {
    nodeHeader(Node.self, typeNames: &typeNames)
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

  /// The walk reached a node of type `Node`: what `node(_:kind:typeNames:)` digests before
  /// the node's own fields.
  mutating func nodeHeader<Node>(_ type: Node.Type, typeNames: inout TypeNameCache) {
    mix(.node)
    mix(typeNames.fullNameDigest(Node.self))
  }

  private mutating func digestLocalState<Node, Slot: LocalStateSlot>(
    _ node: inout Node, as type: Slot.Type, typeNames: inout TypeNameCache
  ) {
    _ = withNode(&node, as: Slot.self) { slot in
      localState(slot, request: slot.requestFacts, typeNames: &typeNames)
    }
  }

  /// A local-state slot's static fields, as words: its kind, its value type (hashed once per
  /// walk), its category and its name, or its reference's fields. `request` is the slot's
  /// `requestFacts`, which a walk that needs them too reads once.
  mutating func localState<Slot: LocalStateSlot>(
    _ slot: Slot, request: LocalStateRequestFacts?, typeNames: inout TypeNameCache
  ) {
    if let request {
      switch request.kind {
      case .initial: mix(.initialRequest)
      case .frozen: mix(.frozenRequest)
      case .shared: mix(.sharedRequest)
      }
      mix(typeNames.fullNameDigest(Slot.valueType))
      combine(request.category)
      if let name = request.explicitName { combine(name) } else { mix(.noName) }
    } else if let reference = slot.reference {
      mix(.reference)
      combine(reference.handlerID)
      combine(reference.category)
      combine(reference.name)
      if reference.wasExplicitlyNamed { mix(.explicitName) }
      note(reference.handlerID)
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
      mix(.handler)
      combine(handler.handlerID)
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
