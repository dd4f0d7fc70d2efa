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
  var walk = StructureDigestWalk()
  var copy = subtree
  walk.visitNode(&copy)
  return try walk.digest.handlerID(tag: tag, explicitID: explicitID, minimumHashLength: minimumHashLength)
}
