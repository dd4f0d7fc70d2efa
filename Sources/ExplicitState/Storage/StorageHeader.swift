/// The header of a node or a leaf of a state's trie: how many children or values it holds,
/// and which edit, if any, has made it its own.
///
/// `owner` lets a `StateEditor` write through the trie without asking the runtime, at every
/// level of every write, whether the object is shared: the first write through an object in
/// an edit checks that once, copying the object if it is shared, and stamps it with the
/// edit's token; later writes in the same edit compare the stamp. Tokens are never reused,
/// so a stamp from an earlier edit means nothing, and objects outside edits ignore it.
@usableFromInline
struct StorageHeader {
  /// The number of children, or of values.
  @usableFromInline var count: Int
  /// The token of the edit that owns the object, or 0 for none.
  @usableFromInline var owner: Int

  @inlinable
  init(count: Int) {
    self.count = count
    self.owner = 0
  }
}

/// What a node and a leaf of a state's trie share: their elements, their count and their stamp.
extension ManagedBuffer where Header == StorageHeader {
  /// The elements, for reading and in-place writes.
  @inlinable
  var elements: UnsafeMutablePointer<Element> {
    withUnsafeMutablePointerToElements { $0 }
  }

  /// The number of elements.
  @inlinable
  var count: Int { withUnsafeMutablePointerToHeader { $0.pointee.count } }

  /// The token of the edit that owns the object, or 0 for none.
  @inlinable
  var owner: Int {
    get { withUnsafeMutablePointerToHeader { $0.pointee.owner } }
    set { withUnsafeMutablePointerToHeader { $0.pointee.owner = newValue } }
  }

  /// Deinitializes the elements, for a subclass's `deinit`.
  @inlinable
  func deinitializeElements() {
    _ = withUnsafeMutablePointers { header, elements in
      elements.deinitialize(count: header.pointee.count)
    }
  }
}
