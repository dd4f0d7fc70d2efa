import ExplicitState

/// A value a layer writes out of the model: Penzai's `SideOutputEffect`.
///
/// `tell(_:)` does nothing while no handler took the request, so a model with probes still
/// runs unhandled.
public enum SideOutputEffect<Value: Sendable>: EffectSlot {
  /// Penzai's `SideOutputRequest(tag)`.
  case request(String)
  /// Penzai's `HandledSideOutputRef`, with the slot's path relative to the handler's body.
  case handled(handlerID: HandlerID, tag: String, keyPath: StateKey)

  /// Writes `value` to the handler's collection; does nothing for an unhandled request.
  ///
  /// - Throws: `EffectError.unboundReference` when the reference's handler is not running.
  @inlinable
  public func tell(_ value: Value) throws {
    guard case .handled(let id, let tag, let keyPath) = self else { return }
    guard let runtime = EffectContext.runtime(for: id) as? SideOutputRuntime else {
      throw EffectError.unboundReference(method: "tell", reference: structureDescription)
    }
    runtime.values.append(SideOutputValue(keyPath: keyPath, tag: tag, value: value))
  }

  /// `.sideOutput`.
  public var effectKind: EffectKind { .sideOutput }

  /// `SideOutputRequest` while unhandled.
  public var unhandledRequestType: String? {
    if case .request = self { return "SideOutputRequest" }
    return nil
  }

  /// The handler's ID once handled.
  public var handlerID: HandlerID? {
    if case .handled(let id, _, _) = self { return id }
    return nil
  }

  /// The tag, and the handler once handled.
  public var structureDescription: String {
    switch self {
    case .request(let tag): return "SideOutputRequest(tag: \"\(tag)\")"
    case .handled(let id, let tag, _): return "HandledSideOutputRef(handlerID: \"\(id)\", tag: \"\(tag)\")"
    }
  }

  /// The tag of either case.
  public var tag: String {
    switch self {
    case .request(let tag), .handled(_, let tag, _): return tag
    }
  }
}

/// One value told to a side output: Penzai's `SideOutputValue`.
public struct SideOutputValue: Sendable, CustomStringConvertible {
  /// Where the slot that told it sits, relative to the collecting handler's body, in Inox's
  /// key syntax (`.sublayers[2].sideOut`).
  public let keyPath: StateKey
  /// The side output's tag.
  public let tag: String
  /// The value.
  public let value: any Sendable

  /// Creates a record of one told value.
  public init(keyPath: StateKey, tag: String, value: any Sendable) {
    self.keyPath = keyPath
    self.tag = tag
    self.value = value
  }

  /// `SideOutputValue(keyPath: ".sublayers[2].sideOut", tag: "intermediate", value: Float[128])`.
  public var description: String {
    "SideOutputValue(keyPath: \"\(keyPath.path)\", tag: \"\(tag)\", value: \(stateSummary(of: value)))"
  }
}

/// The operations the collecting handler needs on a `SideOutputEffect` of any value type.
protocol SideOutputSlot: EffectSlot {
  var tag: String { get }
  func handled(by id: HandlerID, keyPath: StateKey) -> Self
}

extension SideOutputEffect: SideOutputSlot {
  func handled(by id: HandlerID, keyPath: StateKey) -> SideOutputEffect {
    .handled(handlerID: id, tag: tag, keyPath: keyPath)
  }
}

/// A collecting handler's runtime: the values told during one call, in order.
@usableFromInline
final class SideOutputRuntime: EffectRuntime {
  @usableFromInline let handlerID: HandlerID
  @usableFromInline var values: [SideOutputValue] = []

  init(handlerID: HandlerID) {
    self.handlerID = handlerID
  }
}
