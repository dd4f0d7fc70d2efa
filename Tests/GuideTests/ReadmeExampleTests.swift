import StateKeys
import Testing

@Suite("README: the example runs")
struct ReadmeExampleTests {
  @Test func readmeExample() throws {
    // snippet: readme-example
    struct RunningMoments: StateVisitable {
      var first: StateEntry<Tensor>
      var second: StateEntry<Tensor>

      init(features: Int) throws {
        first = StateEntry(try .zeros([features]))
        second = StateEntry(try .ones([features]))
      }

      func callAsFunction(_ x: Tensor, _ state: consuming State) throws -> State {
        let first = try state[self.first]
        let second = try state[self.second]
        return try updateState(state, [
          self.first: 0.9 * first + 0.1 * x,
          self.second: 0.9 * second + 0.1 * x.squared(),
        ])
      }

      mutating func visitChildren<V: StateVisitor>(_ visitor: inout V) {
        visitor.visit("first", &first)
        visitor.visit("second", &second)
      }
    }

    let (model, state) = try exportState(RunningMoments(features: 16))
    print(model.first)                       // StateKey(".first")
    let x = try Tensor.normal([16], key: RandomKey(seed: 1))
    let newState = try model(x, state)       // `state` is unchanged
    // end-snippet
    #expect(model.first.description == #"StateKey(".first")"#)
    #expect(try newState[model.first].isApproximatelyEqual(to: 0.1 * x, tolerance: 1e-7))
    #expect(try state[model.first] == Tensor.zeros([16]))
  }
}
