import ExplicitState

/// Takes side inputs from its argument: called with `(x, [v1, v2, ...])`, the values in the
/// order of its tags. Penzai's `WithSideInputsFromInputTuple`.
///
/// ```swift
/// let handled = try WithSideInputsFromInputTuple.handling(model, tags: ["foo", "bar"])
/// let y = try handled("main input", "value for foo", "value for bar")
/// ```
public struct WithSideInputsFromInputTuple<Body: Layer>: EffectHandler {
  /// `WithSideInputsFromInputTuple`.
  public static var handlerTag: String { "WithSideInputsFromInputTuple" }

  /// The ID shared with the references in the body.
  public let handlerID: HandlerID
  /// The handled model.
  public var body: Body
  /// The tags whose values the argument carries, in order.
  public let sideInputTags: [SideInputTag]

  /// Takes the side-input requests of `body` whose tags are in `tags`.
  ///
  /// - Throws: `EffectError.handlerIDExists` for an explicit ID already used in `body`.
  /// - Complexity: O(*n*) in the size of the body.
  public static func handling(
    _ body: Body, tags: [SideInputTag], handlerID: HandlerID? = nil
  ) throws -> WithSideInputsFromInputTuple {
    let id = try inferOrCheckHandlerID(tag: handlerTag, subtree: body, explicitID: handlerID)
    let tagSet = Set(tags)
    let handled = SlotReplacer.run(body) { slot, _ in slot.handlingSideInput(by: id, tags: tagSet) }
    return WithSideInputsFromInputTuple(handlerID: id, body: handled, sideInputTags: tags)
  }

  /// Runs the body on `input.0`, with `input.1[i]` as the value of the `i`th tag.
  ///
  /// - Throws: `LayerError.inputTypeMismatch` naming both lengths when the count of values
  ///   is not the count of tags, and whatever the body throws.
  public func callAsFunction(_ input: (Body.Input, [any Sendable])) throws -> Body.Output {
    guard input.1.count == sideInputTags.count else {
      throw LayerError.inputTypeMismatch(
        layer: "WithSideInputsFromInputTuple", expected: "\(sideInputTags.count) side inputs (\(sideInputTags.map(\.description).joined(separator: ", ")))",
        found: "\(input.1.count)")
    }
    let runtime = SideInputRuntime(
      handlerID: handlerID, values: Dictionary(zip(sideInputTags, input.1)) { first, _ in first })
    return try EffectContext.running(runtime) { try body(input.0) }
  }

  /// Runs the body on `input` with one side-input value per tag, in order.
  ///
  /// - Throws: as `callAsFunction(_:)` with a tuple.
  public func callAsFunction(_ input: Body.Input, _ sideInputs: any Sendable...) throws -> Body.Output {
    try self((input, sideInputs))
  }
}

/// Provides constant side inputs, stored in the handler: Penzai's `WithConstantSideInputs`,
/// how Penzai V1 shares parameters.
public struct WithConstantSideInputs<Body: Layer>: EffectHandler {
  /// `WithConstantSideInputs`.
  public static var handlerTag: String { "WithConstantSideInputs" }

  /// The ID shared with the references in the body.
  public let handlerID: HandlerID
  /// The handled model.
  public var body: Body
  /// The values, by tag.
  public var sideInputs: [SideInputTag: any Sendable]

  /// Takes the side-input requests of `body` whose tags have values in `sideInputs`.
  ///
  /// Unless `keepUnused` is true, values whose tags no request uses are dropped.
  ///
  /// - Throws: `EffectError.handlerIDExists` for an explicit ID already used in `body`.
  /// - Complexity: O(*n*) in the size of the body.
  public static func handling(
    _ body: Body, sideInputs: [SideInputTag: any Sendable], handlerID: HandlerID? = nil, keepUnused: Bool = false
  ) throws -> WithConstantSideInputs {
    let id = try inferOrCheckHandlerID(tag: handlerTag, subtree: body, explicitID: handlerID)
    let tags = Set(sideInputs.keys)
    var used: Set<SideInputTag> = []
    let handled = SlotReplacer.run(body) { slot, _ in
      guard let replacement = slot.handlingSideInput(by: id, tags: tags), let tag = (slot as? any SideInputSlot)?.tag
      else { return nil }
      used.insert(tag)
      return replacement
    }
    let kept = keepUnused ? sideInputs : sideInputs.filter { used.contains($0.key) }
    return WithConstantSideInputs(handlerID: id, body: handled, sideInputs: kept)
  }

  /// Runs the body on `input` with the stored side inputs.
  public func callAsFunction(_ input: Body.Input) throws -> Body.Output {
    try EffectContext.running(SideInputRuntime(handlerID: handlerID, values: sideInputs)) { try body(input) }
  }
}
