/// Facts about types, worked out once per type during one walk of a model tree.
///
/// A model repeats a few types many times, and the facts a walk needs (a protocol
/// conformance, a type's name) cost thousands of instructions to work out. A short list
/// searched front to back answers for the few types of a typical model without hashing; past
/// `linearLimit` types a dictionary takes over.
struct TypeKeyedCache<Value> {
  private static var linearLimit: Int { 16 }
  private var types: [ObjectIdentifier] = []
  private var values: [Value] = []
  private var overflow: [ObjectIdentifier: Value] = [:]

  /// The value for `type`, made by `make` the first time `type` is asked for.
  mutating func value(for type: Any.Type, _ make: () -> Value) -> Value {
    let id = ObjectIdentifier(type)
    if let index = types.firstIndex(of: id) { return values[index] }
    if let value = overflow[id] { return value }
    let value = make()
    if types.count < Self.linearLimit {
      types.append(id)
      values.append(value)
    } else {
      overflow[id] = value
    }
    return value
  }
}
