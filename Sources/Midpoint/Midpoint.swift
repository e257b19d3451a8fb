// The umbrella module: `import Midpoint` brings in every library module.
@_exported import MidpointDiffusion
@_exported import MidpointFormats
@_exported import MidpointLangevin
@_exported import MidpointLinearAlgebra
@_exported import MidpointLogConcave
@_exported import MidpointMetrics
@_exported import MidpointNetworks
@_exported import MidpointPlots
@_exported import MidpointRandom
@_exported import MidpointScoreModels
@_exported import MidpointSettings
@_exported import MidpointTargets
