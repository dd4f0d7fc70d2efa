import DataEffects
import StateKeysSupport

/// The colour of an effect, as Penzai's `get_effect_color` gives it: the colours Penzai
/// registers for its four effects, and for another effect a hue keyed by its name (Penzai hashes
/// the name with SHA-256; here with FNV-1a, so such hues differ from Penzai's).
func effectColor(_ kind: EffectKind) -> String {
  switch kind {
  case .localState: return "#f58566"
  case .random: return "#df982b"
  case .sideInput: return "#5eb3e5"
  case .sideOutput: return "#3fbfb6"
  default:
    let hue = Double(Hashing.fnv1a(kind.name) % 65_536) / 65_536 * 360
    return "oklch(0.785 0.103 \(Int(hue)))"
  }
}

/// The effect a built-in handler provides, by its tag; `nil` for a handler of your own.
func handledEffect(tag: String) -> EffectKind? {
  switch tag {
  case "WithFunctionalLocalState": return .localState
  case "WithRandomKeyFromArg", "WithFrozenRandomState", "WithStatefulRandomKey": return .random
  case "WithSideInputsFromInputTuple", "WithConstantSideInputs": return .sideInput
  case "CollectingSideOutputs": return .sideOutput
  default: return nil
  }
}
