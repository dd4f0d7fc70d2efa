extension Array: StateVisitable where Element: StateVisitable {
  /// Visits each element, under its index (`[0]`, `[1]`, ...).
  ///
  /// A read-only visitor sees a copy of each element, so the array's storage is not copied
  /// when another array shares it.
  @inlinable
  public mutating func visitChildren<Visitor: StateVisitor>(_ visitor: inout Visitor) {
    if Visitor.isReadOnly {
      for index in indices {
        var element = self[index]
        visitor.enter(.index(index))
        element._accept(&visitor)
        visitor.exit()
      }
      return
    }
    // Through the buffer: the array is made unique once, not checked at every element.
    withUnsafeMutableBufferPointer { elements in
      for index in elements.indices {
        visitor.enter(.index(index))
        elements[index]._accept(&visitor)
        visitor.exit()
      }
    }
  }
}
