import MidpointLinearAlgebra

/// The output of a sampling run and what it cost.
public struct DiffusionResult: Sendable {
    /// The samples, `N × d`.
    public let samples: Matrix
    /// The sampler's name.
    public let sampler: String
    /// The grid that was integrated.
    public let grid: TimeGrid
    /// Score evaluations per particle, denoising included.
    public let nfe: Double
    /// Sequential batched model calls.
    public let rounds: Int
    /// Wall-clock seconds for the whole run (initial noise to output).
    public let seconds: Double
    /// Wall-clock seconds inside the score model.
    public let modelSeconds: Double
    /// For a Picard sampler, the largest change its last round made to a window's states (relative, the
    /// solver's stopping measure): how far from converged the round cap left it. Nil for other samplers.
    public var picardResidual: Double? = nil
}
