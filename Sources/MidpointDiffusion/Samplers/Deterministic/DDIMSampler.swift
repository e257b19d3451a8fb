import MidpointScoreModels
/// DDIM (Song et al. 2021), the same as first-order DPM-Solver: the noise prediction is frozen over
/// a step, `x' = α' x̂₀ + σ' ε̂` with `x̂₀ = (x + σ² s)/α`, `ε̂ = -σ s`.
///
/// In terms of the score: `x' = (α'/α) x + (α' σ²/α - σ' σ) s`. Exact for every grid when `q₀` is a
/// point mass; first order in the step otherwise. One evaluation per step.
public struct DDIMSampler: SingleStepSampler {
    public let name = "ddim"
    /// Peak memory in batch-sized (N × d) matrices: the state, its score and this sampler's own buffers
    /// (measured: 3.09 × 8·N·d bytes above the process's own at N = 200,000, d = 64).
    public func workingMatrices(steps: Int) -> Int { 3 }
    public let summary = "DDIM = DPM-Solver-1 (first order)"
    public let costFormula = "N"
    public let defaultGrid = TimeGrid.Kind.ddpmLinear
    public let isStochastic = false

    /// The sampler.
    public init() {}

    public func coefficients(from t: Double, to t1: Double) -> (state: Double, score: Double, noise: Double) {
        let (a, a1) = (ForwardProcess.alpha(t), ForwardProcess.alpha(t1))
        let (sg, sg1) = (ForwardProcess.sigma(t), ForwardProcess.sigma(t1))
        return (a1 / a, a1 * sg * sg / a - sg1 * sg, 0)
    }
}
