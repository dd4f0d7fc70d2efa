import ExplicitState
import RandomKeys

/// A source of random keys for a layer: Penzai's `RandomEffect`.
///
/// Every reference to one handler shares that handler's stream for the call, so keys come
/// in call order: `fold_in(base, 0)`, `fold_in(base, 1)`, ...
public enum RandomEffect: EffectSlot, Equatable {
  /// Penzai's `RandomRequest()`: what the handlers take by default.
  case request
  /// Penzai's `TaggedRandomRequest(tag)`: skipped by default, for handlers told to take it.
  case tagged(String)
  /// Penzai's `HandledRandomRef`.
  case handled(handlerID: HandlerID)

  /// The next key of the handler's stream.
  ///
  /// - Throws: `EffectError.unhandledRequest` for a request no handler took, and
  ///   `EffectError.unboundReference` when the handler is not running.
  @inlinable
  public func nextKey() throws -> RandomKey {
    guard case .handled(let id) = self else {
      throw EffectError.unhandledRequest(method: "nextKey", requestType: unhandledRequestType ?? "")
    }
    guard let runtime = EffectContext.runtime(for: id) as? RandomRuntime else {
      throw EffectError.unboundReference(method: "nextKey", reference: structureDescription)
    }
    return runtime.stream.nextKey()
  }

  /// `.random`.
  public var effectKind: EffectKind { .random }

  /// `RandomRequest` or `TaggedRandomRequest` while unhandled.
  public var unhandledRequestType: String? {
    switch self {
    case .request: return "RandomRequest"
    case .tagged: return "TaggedRandomRequest"
    case .handled: return nil
    }
  }

  /// The handler's ID once handled.
  public var handlerID: HandlerID? {
    if case .handled(let id) = self { return id }
    return nil
  }

  /// The request, or the reference.
  public var structureDescription: String {
    switch self {
    case .request: return "RandomRequest()"
    case .tagged(let tag): return "TaggedRandomRequest(tag: \"\(tag)\")"
    case .handled(let id): return "HandledRandomRef(handlerID: \"\(id)\")"
    }
  }

  /// Whether the slot is an untagged request: the default `holePredicate` of the handlers.
  public static func isUntaggedRequest(_ request: RandomEffect) -> Bool {
    request == .request
  }
}

/// A random handler's runtime: the one stream its references share during a call.
@usableFromInline
final class RandomRuntime: EffectRuntime {
  @usableFromInline let handlerID: HandlerID
  @usableFromInline var stream: RandomStream

  init(handlerID: HandlerID, stream: RandomStream) {
    self.handlerID = handlerID
    self.stream = stream
  }
}

/// `body` with the random requests `holePredicate` accepts replaced by references to `id`.
func handlingRandom<Body: StateVisitable>(
  _ body: Body, by id: HandlerID, holePredicate: @escaping (RandomEffect) -> Bool
) -> Body {
  SlotReplacer.run(body) { slot, _ in
    guard let random = slot as? RandomEffect, random.unhandledRequestType != nil, holePredicate(random) else {
      return nil
    }
    return RandomEffect.handled(handlerID: id)
  }
}
