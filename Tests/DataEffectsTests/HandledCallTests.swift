import DataEffects
import ExplicitState
import Testing

/// Adds its input into every element of a local array, in place.
private struct ArrayAccumulator: Layer {
  var totals: LocalStateEffect<[Float]> = .initial(category: "totals") { [Float](repeating: 0, count: 64) }

  func callAsFunction(_ x: Float) throws -> Float {
    try totals.modify { totals in
      for index in totals.indices { totals[index] += x }
    }
    return x
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("totals", &totals)
  }
}

/// Whether this test target was compiled with optimizations (`swift test -c release`).
private let isOptimizedBuild: Bool = {
  #if DEBUG
    return false
  #else
    return true
  #endif
}()

@Suite("Handled calls: the state is threaded through, and changed in place")
struct HandledCallTests {
  /// Where each local array keeps its elements.
  private func addresses(_ state: State) throws -> [UnsafeRawPointer?] {
    try state.keys.map { key in
      try state.value(for: key, as: [Float].self).withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }
  }

  @Test func bothCallShapesGiveTheSameResults() throws {
    let (handled, initial) = try handleLocalStates(Sequential([ArrayAccumulator(), ArrayAccumulator()]), category: "totals")
    let (y1, tupled) = try handled((Float(2), initial))
    let (y2, separate) = try handled(Float(2), initial)
    #expect(y1 as? Float == 2 && y2 as? Float == 2)
    #expect(try tupled.keys.map { try tupled.value(for: $0, as: [Float].self) }
      == separate.keys.map { try separate.value(for: $0, as: [Float].self) })
    #expect(try initial.keys.allSatisfy { try initial.value(for: $0, as: [Float].self) == Array(repeating: 0, count: 64) })
  }

  /// The two-argument call hands the state over: when the caller keeps no other copy, every
  /// array is changed where it is stored. (The tuple call cannot promise this: building the
  /// tuple copies the caller's variable, which still holds the state during the call.)
  @Test(.enabled(if: isOptimizedBuild, "in-place changes need an optimized build"))
  func anUnsharedStateIsChangedInPlace() throws {
    let (handled, initial) = try handleLocalStates(Sequential([ArrayAccumulator(), ArrayAccumulator()]), category: "totals")
    var state = initial
    _ = consume initial
    (_, state) = try handled(Float(1), state)
    let before = try addresses(state)
    for _ in 0..<20 { (_, state) = try handled(Float(1), state) }
    #expect(try addresses(state) == before)
    #expect(try state.keys.allSatisfy { try state.value(for: $0, as: [Float].self) == Array(repeating: 21, count: 64) })
  }
}

/// Reads and changes one local state while changing another.
private struct NestedAccesses: Layer {
  var a: LocalStateEffect<Float> = .initial(category: "totals") { 0 }
  var b: LocalStateEffect<Float> = .initial(category: "totals") { 10 }

  func callAsFunction(_ x: Float) throws -> Float {
    try a.modify { a in a += try b.get() + x }
    try b.modify { b in
      try a.modify { $0 += 1 }
      b += 1
    }
    return x
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("a", &a)
    visitor.visit("b", &b)
  }
}

@Suite("Handled calls: nested accesses to local states")
struct NestedLocalStateAccessTests {
  @Test func aStateIsReadAndChangedWhileAnotherIsBeingChanged() throws {
    let (handled, initial) = try handleLocalStates(NestedAccesses(), category: "totals")
    let (_, state) = try handled(Float(1), initial)
    #expect(try state.keys.map { try state.value(for: $0, as: Float.self) } == [12, 11])
  }
}

/// Touches its state from inside its own `modify`, by the method it is given.
private struct SelfOverlap: Layer {
  var count: LocalStateEffect<Float> = .initial(category: "totals") { 0 }
  var method = "get"

  func callAsFunction(_ x: Float) throws -> Float {
    try count.modify { count in
      switch method {
      case "get": count += try self.count.get()
      case "set": try self.count.set(x)
      default: try self.count.modify { $0 += x }
      }
    }
    return x
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("count", &count)
  }
}

extension NestedLocalStateAccessTests {
  @Test(arguments: ["get", "set", "modify"])
  func aStateTouchedInsideItsOwnModifyThrows(method: String) throws {
    let (handled, initial) = try handleLocalStates(SelfOverlap(method: method), category: "totals")
    let reference = try #require(handled.body.count.handlerID).description
    #expect {
      _ = try handled(Float(1), initial)
    } throws: { error in
      guard case .overlappingAccess(let thrownMethod, let description) = error as? EffectError else { return false }
      return thrownMethod == method && description.contains(reference)
    }
  }

  @Test func aRefusedOverlapLeavesTheCallersStateAlone() throws {
    let (handled, initial) = try handleLocalStates(SelfOverlap(method: "set"), category: "totals")
    #expect(throws: EffectError.self) { _ = try handled(Float(5), initial) }
    #expect(try initial.keys.map { try initial.value(for: $0, as: Float.self) } == [0])
  }
}

/// Where a layer leaves the task it starts, for the test to await after the handled call.
private final class StartedTask: @unchecked Sendable {
  var task: Task<String, Never>?
}

/// Starts a task that reads its local state, without waiting for it.
private struct TaskStarter: Layer {
  var total: LocalStateEffect<Float> = .initial(category: "totals") { 0 }
  let started: StartedTask

  func callAsFunction(_ x: Float) throws -> Float {
    let total = self.total
    started.task = Task {
      do {
        return "read \(try total.get())"
      } catch {
        return String(describing: error)
      }
    }
    return x
  }

  mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
    visitor.visit("total", &total)
  }
}

@Suite("Handled calls: handlers belong to the call, on its thread")
struct HandlerScopeTests {
  /// A task started inside a layer does not inherit the running handlers, so it cannot reach
  /// the handler's state after the call that owns it has returned.
  @Test func aTaskStartedInsideALayerFindsNoHandler() async throws {
    let started = StartedTask()
    let (handled, initial) = try handleLocalStates(TaskStarter(started: started), category: "totals")
    _ = try handled(Float(1), initial)
    let outcome = await started.task?.value
    #expect(outcome?.hasPrefix("Effect method 'get' was called on an unbound effect reference") == true, "\(outcome ?? "no task")")
  }

  /// A reference binds to the innermost running handler with its handler's ID, as in Penzai,
  /// whichever handler made it: here the body of one handler runs inside another handler with
  /// the same explicit ID, and its references read and write the running handler's state.
  @Test func referencesBindToAnyRunningHandlerWithTheirID() throws {
    let model = { Sequential([ExampleLayerWithAState.fromConfig(), ExampleLayerWithAState.fromConfig()]) }
    let (first, _) = try handleLocalStates(model(), category: "example_state", handlerID: "shared_id")
    var (second, initial) = try handleLocalStates(model(), category: "example_state", handlerID: "shared_id")
    second.body = first.body
    let (_, state) = try second(Float(3), initial)
    #expect(try names(state).map { try value(state, $0) } == [3, 3])
    let (_, again) = try second(Float(4), state)
    #expect(try names(again).map { try value(again, $0) } == [7, 7])
  }

  /// Handled calls on many tasks at once each find their own handler.
  @Test func concurrentHandledCallsEachFindTheirOwnHandler() async throws {
    let (handled, initial) = try handleLocalStates(Sequential([ArrayAccumulator(), ArrayAccumulator()]), category: "totals")
    let totals = await withTaskGroup(of: Float.self) { group in
      for index in 0..<16 {
        group.addTask {
          var state = initial
          for _ in 0..<50 { (_, state) = (try? handled(Float(index), state)) ?? (0, state) }
          return (try? state.value(for: state.keys[0], as: [Float].self)[0]) ?? -1
        }
      }
      return await group.reduce(into: [Float]()) { $0.append($1) }
    }
    #expect(totals.sorted() == (0..<16).map { Float($0 * 50) })
  }
}
