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
  /// The positions in `values` of the types past the first `linearLimit`.
  private var overflow: [ObjectIdentifier: Int] = [:]

  /// The position of the value for `type`, made by `make` the first time `type` is asked for.
  mutating func index(of type: Any.Type, _ make: () -> Value) -> Int {
    let id = ObjectIdentifier(type)
    if let index = types.firstIndex(of: id) { return index }
    if let index = overflow[id] { return index }
    values.append(make())
    if types.count < Self.linearLimit {
      types.append(id)
    } else {
      overflow[id] = values.count - 1
    }
    return values.count - 1
  }

  /// The value at a position `index(of:_:)` returned.
  subscript(index: Int) -> Value { values[index] }

  /// The value for `type`, made by `make` the first time `type` is asked for.
  mutating func value(for type: Any.Type, _ make: () -> Value) -> Value {
    // Found first, in a statement of its own: it may append to the values it indexes.
    let index = index(of: type, make)
    return self[index]
  }
}
