// The umbrella module: `import StateKeys` brings in every layer of the package.
@_exported import ExplicitState
@_exported import RandomKeys
@_exported import TensorLayers
@_exported import DataEffects
@_exported import Checkpoints
@_exported import Training
@_exported import StateViews
