/// The identity of one handler, shared by the references it made and the runtimes of its
/// calls.
///
/// References bind to the innermost running handler with their handler's ID, as in Penzai,
/// and IDs are strings. A reference finds the handler that made it by comparing tokens, one
/// integer; it compares IDs only with other running handlers, such as one made by handling
/// another copy of the same model with the same explicit ID.
@usableFromInline
final class HandlerToken: Sendable {
  init() {}
}
