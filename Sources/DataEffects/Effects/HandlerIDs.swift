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
  let existing = allHandlerIDs(subtree)
  if let explicitID {
    guard !existing.contains(explicitID) else { throw .handlerIDExists(explicitID) }
    return explicitID
  }
  let digest = structureDigest(subtree)
  let longID = tag + "_" + digest
  let conflicts = existing.filter { longID.hasPrefix($0) }
  for length in max(1, minimumHashLength)...digest.count {
    let candidate = tag + "_" + digest.prefix(length)
    if !conflicts.contains(candidate) { return candidate }
  }
  throw .handlerIDCollision(longID)
}

/// A digest of the tree's structure, as 16 hexadecimal digits (64-bit FNV-1a).
func structureDigest<Tree: StateVisitable>(_ tree: Tree) -> String {
  var walk = StructureDigest()
  var copy = tree
  walk.visitNode(&copy)
  let hex = String(walk.hash, radix: 16)
  return String(repeating: "0", count: 16 - hex.count) + hex
}

/// The walk behind `structureDigest(_:)`: it feeds type names, path components and the
/// static description of every effect slot into FNV-1a.
struct StructureDigest: StateVisitor {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  private var typeNames = TypeNameCache()
  private var kinds = NodeKinds()

  mutating func combine(_ text: String) {
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    hash ^= 0xff
    hash = hash &* 0x0000_0100_0000_01b3
  }

  mutating func enter(_ component: PathComponent) {
    switch component {
    case .field(let name): combine("." + name)
    case .index(let index): combine("[\(index)]")
    case .key(let key): combine("['" + key + "']")
    case .name(let name): combine("name " + name)
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
    case .slot:
      if let slot = node as? any EffectSlot { combine(slot.structureDescription) }
    case .handler:
      if let handler = node as? any EffectHandler { combine("handler " + handler.handlerID) }
      node.visitChildren(&self)
    case .other:
      node.visitChildren(&self)
    }
  }
}
