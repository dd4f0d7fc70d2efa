import ExplicitState
import TensorLayers

extension Linear: Layer {}
