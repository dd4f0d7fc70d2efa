import ExplicitState

/// A field through which a layer uses an effect: it holds a request until a handler takes it,
/// then a reference to that handler.
///
/// `LocalStateEffect`, `RandomEffect`, `SideInputEffect` and `SideOutputEffect` conform.
/// Handlers find slots while walking the model tree; a slot is a leaf of that tree.
public protocol EffectSlot: StateVisitable, Sendable {
  /// The effect the slot uses.
  var effectKind: EffectKind { get }

  /// The type name of the request the slot holds, such as `RandomRequest`, or `nil` once a
  /// handler has replaced it with a reference.
  var unhandledRequestType: String? { get }

  /// The ID of the handler a handled slot refers to, or `nil` for a request.
  var handlerID: HandlerID? { get }

  /// The slot's static fields (request kind, category, name, tag, handler ID), one line:
  /// what handler IDs digest, and what trees print.
  var structureDescription: String { get }
}

extension EffectSlot {
  /// A slot is a leaf: it has no children to visit.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {}
}

/// A layer that handles an effect for the layers in its body: Penzai's `EffectHandler`.
///
/// A handler has Penzai's fields: its ID, shared with the references it put in its body, and
/// the body. Its children are the body alone, at `.body`, unless it says otherwise.
public protocol EffectHandler: Layer {
  /// The handled model's type.
  associatedtype Body: Layer

  /// The prefix of the IDs this kind of handler infers, such as `WithFunctionalLocalState`.
  static var handlerTag: String { get }

  /// The ID shared by the handler and the references it made.
  var handlerID: HandlerID { get }

  /// The handled model.
  var body: Body { get set }
}

extension EffectHandler {
  /// Visits `.body`, the handler's one child.
  public mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("body", &body)
  }
}
