import Checkpoints
import DataEffects
import ExplicitState
import TensorLayers

extension GemmaTransformer {
  /// Penzai's name and the shape of every weight, in the order the model holds them, the
  /// shared embedding table (`embedder.embeddings`, `[vocabulary, embedding]`) last.
  public var penzaiParameterLayouts: [(name: String, shape: [Int])] {
    let named = select(self).at(instancesOf: NamedParameter.self).selectedValues.compactMap { $0 as? NamedParameter }
    return named.map { ($0.name, $0.value.shape) }
      + [(sharedEmbeddingsName, [configuration.vocabularySize, configuration.embeddingDimension])]
  }

  /// The model with the weights saved at `path` under Penzai's parameter names, such as
  /// `block_0.attn.query.weights`, each array's axes in the order this port documents
  /// (`MigratingFromPenzai.md`): what `Scripts/fixtures/make_penzai_gemma.py` writes.
  ///
  /// This is the whole mapping from Penzai's names to this model, written once: each weight
  /// carries its Penzai name (`NamedParameter`), as Penzai's `Parameter` does, and the file is
  /// checked against those names and shapes before any data is read.
  ///
  /// - Throws: `CheckpointError` naming the missing or extra names, or a weight of another
  ///   shape, and what is wrong with the file.
  public func loadingPenzaiParameters(from path: String) throws -> GemmaTransformer {
    var reference = StateBuilder()
    for (name, shape) in penzaiParameterLayouts {
      reference.append(try Tensor.zeros(shape), for: StateKey(name: name))
    }
    let loaded = try State(contentsOf: path, matching: try reference.build())
    var model = try select(self).at(instancesOf: NamedParameter.self).apply { (parameter: NamedParameter) in
      NamedParameter(try loaded.value(for: StateKey(name: parameter.name), as: Tensor.self), name: parameter.name)
    }
    model.body.body.sideInputs[sharedEmbeddingsTag] = try loaded.value(
      for: StateKey(name: sharedEmbeddingsName), as: Tensor.self)
    return model
  }
}

