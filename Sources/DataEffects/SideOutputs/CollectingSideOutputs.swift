import ExplicitState

/// Collects the values its body tells to side outputs: called with `x`, it returns
/// `(y, [SideOutputValue])` in call order. Penzai's `CollectingSideOutputs`.
public struct CollectingSideOutputs<Body: Layer>: EffectHandler {
  /// `CollectingSideOutputs` (Penzai spells its inferred IDs `WithSideInputFromArg_…`, a
  /// copy-paste slip not kept here).
  public static var handlerTag: String { "CollectingSideOutputs" }

  /// The ID shared with the references in the body.
  public let handlerID: HandlerID
  /// The handled model.
  public var body: Body

  /// Takes the side-output requests of `body` with `tag`, or whose tag satisfies
  /// `tagPredicate`; with neither, every side output.
  ///
  /// - Throws: `EffectError.invalidSelection` when both `tag` and `tagPredicate` are given,
  ///   and `EffectError.handlerIDExists` for an explicit ID already used in `body`.
  /// - Complexity: O(*n*) in the size of the body.
  public static func handling(
    _ body: Body, tag: String? = nil, tagPredicate: ((String) -> Bool)? = nil, handlerID: HandlerID? = nil
  ) throws -> CollectingSideOutputs {
    if tag != nil, tagPredicate != nil {
      throw EffectError.invalidSelection("Only one of `tag` and `tagPredicate` may be specified.")
    }
    let matches: (String) -> Bool = tagPredicate ?? { candidate in tag.map { $0 == candidate } ?? true }
    let id = try inferOrCheckHandlerID(tag: handlerTag, subtree: body, explicitID: handlerID)
    var failure: StateError?
    let handled = SlotReplacer.run(body) { slot, path in
      guard let output = slot as? any SideOutputSlot, slot.unhandledRequestType != nil, matches(output.tag) else {
        return nil
      }
      do throws(StateError) {
        return output.handled(by: id, keyPath: try StateKey(path.components))
      } catch {
        failure = failure ?? error
        return nil
      }
    }
    if let failure { throw failure }
    return CollectingSideOutputs(handlerID: id, body: handled)
  }

  /// Runs the body and returns its output with the values told, in order.
  public func callAsFunction(_ input: Body.Input) throws -> (Body.Output, [SideOutputValue]) {
    let runtime = SideOutputRuntime(handlerID: handlerID)
    let y = try EffectContext.running(runtime) { try body(input) }
    return (y, runtime.values)
  }
}

/// A probe that tells its input to a side output and returns it: Penzai's `TellIntermediate`.
public struct TellIntermediate: Layer {
  /// Where the input is told.
  public var sideOut: SideOutputEffect<any Sendable>

  /// Creates the probe, telling under `tag`.
  public init(tag: String = "intermediate") {
    sideOut = .request(tag)
  }

  /// Tells `input` and returns it.
  ///
  /// - Throws: `EffectError.unboundReference` if pulled out of its handler.
  public func callAsFunction(_ input: any Sendable) throws -> any Sendable {
    try sideOut.tell(input)
    return input
  }

  /// Visits `.side_out`, Penzai's name for the request.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("side_out", &sideOut)
  }
}
