import ExplicitState

/// A value a layer reads from outside its input: Penzai's `SideInputEffect`.
///
/// ```swift
/// struct MyLayerWithSideInputs: Layer {
///   var sideArg: SideInputEffect<String>
///   func callAsFunction(_ x: any Sendable) throws -> any Sendable { (x, try sideArg.ask()) }
///   ...
/// }
/// ```
public enum SideInputEffect<Value: Sendable>: EffectSlot {
  /// Penzai's `SideInputRequest(tag)`.
  case request(SideInputTag)
  /// Penzai's `HandledSideInputRef`.
  case handled(handlerID: HandlerID, tag: SideInputTag)

  /// The value the handler gives for the tag.
  ///
  /// - Throws: `EffectError.unhandledRequest` for a request no handler took,
  ///   `EffectError.unboundReference` when the handler is not running, and
  ///   `LayerError.inputTypeMismatch` when the value is not a `Value`.
  @inlinable
  public func ask() throws -> Value {
    guard case .handled(let id, let tag) = self else {
      throw EffectError.unhandledRequest(method: "ask", requestType: "SideInputRequest")
    }
    guard let runtime = EffectContext.runtime(for: id) as? SideInputRuntime, let value = runtime.values[tag] else {
      throw EffectError.unboundReference(method: "ask", reference: structureDescription)
    }
    guard let typed = value as? Value else {
      throw LayerError.inputTypeMismatch(
        layer: "side input \(tag)", expected: String(describing: Value.self), found: String(describing: type(of: value)))
    }
    return typed
  }

  /// `.sideInput`.
  public var effectKind: EffectKind { .sideInput }

  /// `SideInputRequest` while unhandled.
  public var unhandledRequestType: String? {
    if case .request = self { return "SideInputRequest" }
    return nil
  }

  /// The handler's ID once handled.
  public var handlerID: HandlerID? {
    if case .handled(let id, _) = self { return id }
    return nil
  }

  /// The tag, and the handler once handled.
  public var structureDescription: String {
    switch self {
    case .request(let tag): return "SideInputRequest(tag: \(tag))"
    case .handled(let id, let tag): return "HandledSideInputRef(handlerID: \"\(id)\", tag: \(tag))"
    }
  }

  /// The tag of either case.
  public var tag: SideInputTag {
    switch self {
    case .request(let tag), .handled(_, let tag): return tag
    }
  }
}

/// The operations side-input handlers need on a `SideInputEffect` of any value type.
protocol SideInputSlot: EffectSlot {
  var tag: SideInputTag { get }
  func handled(by id: HandlerID) -> Self
  func requested(as tag: SideInputTag) -> Self
}

extension SideInputEffect: SideInputSlot {
  func handled(by id: HandlerID) -> SideInputEffect { .handled(handlerID: id, tag: tag) }
  func requested(as tag: SideInputTag) -> SideInputEffect { .request(tag) }
}

/// A side-input handler's runtime: the values by tag.
@usableFromInline
final class SideInputRuntime: EffectRuntime {
  @usableFromInline let handlerID: HandlerID
  @usableFromInline let values: [SideInputTag: any Sendable]

  init(handlerID: HandlerID, values: [SideInputTag: any Sendable]) {
    self.handlerID = handlerID
    self.values = values
  }
}

extension EffectSlot {
  /// The slot as a side-input request handled by `id` if its tag is in `tags`.
  func handlingSideInput(by id: HandlerID, tags: Set<SideInputTag>) -> (any EffectSlot)? {
    guard let slot = self as? any SideInputSlot, unhandledRequestType != nil, tags.contains(slot.tag) else { return nil }
    return slot.handled(by: id)
  }
}
