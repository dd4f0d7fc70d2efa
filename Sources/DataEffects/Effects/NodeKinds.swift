/// What a node of a model tree is to the effects layer, worked out once per type and walk:
/// a protocol cast costs far more than a dictionary lookup, and a model repeats few types.
struct NodeKinds {
  enum Kind {
    case slot
    case handler
    case other
  }

  private var kinds: [ObjectIdentifier: Kind] = [:]

  /// The kind of nodes of type `type`.
  mutating func kind<Node>(of type: Node.Type) -> Kind {
    let id = ObjectIdentifier(type)
    if let kind = kinds[id] { return kind }
    let kind: Kind = type is any EffectSlot.Type ? .slot : (type is any EffectHandler.Type ? .handler : .other)
    kinds[id] = kind
    return kind
  }
}
