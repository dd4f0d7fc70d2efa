/// An effect: what a request asks for and a handler provides, as Penzai's effect protocols.
public struct EffectKind: Hashable, Sendable, CustomStringConvertible {
  /// The name of the effect's protocol, such as `LocalStateEffect`.
  public let name: String

  /// Creates an effect kind for an effect of your own.
  public init(_ name: String) {
    self.name = name
  }

  /// The name.
  public var description: String { name }

  /// Penzai's `LocalStateEffect`: `get()` and `set(_:)` on a cell of state.
  public static let localState = EffectKind("LocalStateEffect")
  /// Penzai's `RandomEffect`: `nextKey()`.
  public static let random = EffectKind("RandomEffect")
  /// Penzai's `SideInputEffect`: `ask()`.
  public static let sideInput = EffectKind("SideInputEffect")
  /// Penzai's `SideOutputEffect`: `tell(_:)`.
  public static let sideOutput = EffectKind("SideOutputEffect")
}

/// The string that links a handled reference to its handler: `"{HandlerName}_{hex}"`.
public typealias HandlerID = String
