#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Android)
  import Android
#endif
import StateKeysSupport

/// Runs `body`, whose non-throwing operations may defer their errors, and throws the first
/// error they deferred.
///
/// Differentiable code cannot throw: Swift 6.3's differentiation does not compose throwing
/// functions that take a `State`. The differentiable operations (`adding(_:)`,
/// `matrixProduct(with:)`, the layers' `forward` methods) therefore check their shapes and
/// their state entries as the throwing ones do, but on a mismatch they record the error here
/// and return an empty placeholder instead of throwing. `valueWithGradient(at:_:of:)` opens
/// this scope for its body and throws before any gradient is computed; call this function to
/// run differentiable code outside training with the same guarantee.
///
/// ```swift
/// let (y, newState) = try withDeferredErrors { model.forward(x, state) }.unpacked
/// ```
///
/// Scopes nest: an error goes to the innermost one. The input state of a failing call is
/// never changed, since states are values. Outside any scope a failing operation cannot
/// report its error but on standard error: it returns an empty tensor, and nothing traps.
///
/// - Throws: The first `TensorError` or `StateError` deferred in `body`, else what `body`
///   throws.
/// - Complexity: O(1) beyond `body`.
public func withDeferredErrors<Result>(_ body: () throws -> Result) throws -> Result {
  let scope = DeferredErrorScope()
  let outer = DeferredErrorScope.current
  DeferredErrorScope.current = Unmanaged.passUnretained(scope).toOpaque()
  defer { DeferredErrorScope.current = outer }
  let result = try withExtendedLifetime(scope) { try body() }
  if let error = scope.first { throw error }
  return result
}

/// Whether an enclosing `withDeferredErrors(_:)` (or `valueWithGradient`) records deferred
/// errors on this thread.
public var isDeferringErrors: Bool { DeferredErrorScope.current != nil }

/// Records `error` in the innermost scope of this thread. With no scope open, nothing could
/// throw it: the operation's empty result is all the caller gets, so the error is written to
/// standard error, and the program goes on.
@usableFromInline
package func deferError(_ error: any Error) {
  guard let pointer = DeferredErrorScope.current else {
    let message = "TensorLayers: \(error) (A differentiable operation failed outside withDeferredErrors(_:) or "
      + "valueWithGradient; its result is an empty tensor. Use the throwing form, or open a scope.)\n"
    _ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    return
  }
  let scope = Unmanaged<DeferredErrorScope>.fromOpaque(pointer).takeUnretainedValue()
  if scope.first == nil { scope.first = error }
}

/// The errors deferred on one thread while a scope is open: the first is kept.
final class DeferredErrorScope {
  var first: (any Error)?

  /// The per-thread slot, made once per process: the process's only global in
  /// `TensorLayers`. If the process has used up its thread-specific keys, no scope can open
  /// and deferred errors are reported on the standard error stream.
  static let slot = ThreadLocalPointer()

  /// The innermost open scope of this thread, unretained: `withDeferredErrors` keeps it alive.
  static var current: UnsafeMutableRawPointer? {
    get { slot.value }
    set { slot.value = newValue }
  }
}
