/// A value in a heap cell of its own, reached through a pointer, and freed with its owner.
/// Package access: one implementation for the classes that keep their mutable contents this
/// way (the path registry's table, `DataEffects`' type caches, a storage column being filled,
/// a local-state handler's runtime).
///
/// A stored `var` of a class is checked for exclusive access at run time on every use, and
/// for the whole of a `modify`; the same value behind a pointer is not. So the owner, not
/// Swift, must make sure no two accesses overlap: a lock, a single owning thread, or a
/// documented nesting rule. The box cannot be copied, so the cell has one owner and is freed
/// once.
@frozen @usableFromInline
package struct PointerBox<Value>: ~Copyable {
  /// The cell; valid for the box's lifetime.
  @usableFromInline package let pointer: UnsafeMutablePointer<Value>

  /// A box holding `value`.
  @inlinable
  package init(_ value: consuming Value) {
    pointer = .allocate(capacity: 1)
    pointer.initialize(to: value)
  }

  /// The value, read and written in place.
  @inlinable
  package var pointee: Value {
    unsafeAddress { UnsafePointer(pointer) }
    nonmutating unsafeMutableAddress { pointer }
  }

  @inlinable
  deinit {
    pointer.deinitialize(count: 1)
    pointer.deallocate()
  }
}
