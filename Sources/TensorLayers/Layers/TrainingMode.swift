import ExplicitState

/// A layer that behaves differently in training and in inference, such as `BatchNorm` and
/// `Dropout`: `setTrainingMode(_:)` sets every such layer of a model at once.
///
/// Conform a layer of your own by giving it `isTraining`; its children, if any, are set by the
/// same walk.
public protocol TrainingModeSwitchable {
  /// Whether the layer runs in training (batch statistics, dropout) or in inference.
  var isTraining: Bool { get set }
}

extension BatchNorm: TrainingModeSwitchable {}
extension Dropout: TrainingModeSwitchable {}

extension StateVisitable {
  /// Sets every layer of this model that has a mode, such as `BatchNorm` and `Dropout`, to
  /// training or to inference, as Inox's `Module.train(mode)` does.
  ///
  /// ```swift
  /// var model = mlp
  /// model.setTrainingMode(false)     // every BatchNorm and Dropout now runs in inference
  /// ```
  ///
  /// The walk reaches the layers that `visitChildren(_:)` shows, including those held as
  /// `AnyLayer` and behind enum cases shown with `visit(unnamed:)`.
  ///
  /// - Complexity: O(*n*) in the number of nodes.
  public mutating func setTrainingMode(_ isTraining: Bool) {
    var setter = TrainingModeSetter(isTraining: isTraining)
    setter.visitNode(&self)
  }
}

/// The walk behind `setTrainingMode(_:)`: it sets each node that has a mode, then visits the
/// node's children.
struct TrainingModeSetter: StateVisitor {
  let isTraining: Bool

  mutating func enter(_ component: PathComponent) {}
  mutating func exit() {}
  mutating func visit<Value: Sendable>(_ entry: inout StateEntry<Value>) {}

  mutating func visitNode<Node: StateVisitable>(_ node: inout Node) {
    if var switchable = node as? any TrainingModeSwitchable, switchable.isTraining != isTraining {
      switchable.isTraining = isTraining
      if let switched = switchable as? Node { node = switched }
    }
    node.visitChildren(&self)
  }
}
