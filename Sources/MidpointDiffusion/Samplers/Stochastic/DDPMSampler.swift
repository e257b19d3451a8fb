import MidpointScoreModels
/// DDPM ancestral sampling (Ho et al. 2020) in its DDIM form with `η` at its ancestral value:
/// `x' = α' x̂₀ + √(σ'² - η²) ε̂ + η ξ`, `η² = (σ'²/σ²)(1 - α²/α'²)`, with `x̂₀ = (x + σ² s)/α` and
/// `ε̂ = -σ s`. One evaluation per step.
public struct DDPMSampler: SingleStepSampler {
    public let name = "ddpm"
    /// Peak memory in batch-sized (N × d) matrices: the state, its score and this sampler's own buffers
    /// (measured: 3.09 × 8·N·d bytes above the process's own at N = 200,000, d = 64).
    public func workingMatrices(steps: Int) -> Int { 3 }
    public let summary = "DDPM ancestral sampling"
    public let costFormula = "N"
    public let defaultGrid = TimeGrid.Kind.uniformLogSNR
    public let isStochastic = true

    /// The sampler.
    public init() {}

    public func coefficients(from t: Double, to t1: Double) -> (state: Double, score: Double, noise: Double) {
        let (a, a1) = (ForwardProcess.alpha(t), ForwardProcess.alpha(t1))
        let (s2, s21) = (ForwardProcess.sigmaSquared(t), ForwardProcess.sigmaSquared(t1))
        let eta2 = s21 / s2 * (1 - (a * a) / (a1 * a1))
        let keep = max(s21 - eta2, 0).squareRoot()
        // α' x̂₀ + keep · ε̂ = (α'/α) x + (α' σ²/α - keep · σ) s
        return (a1 / a, a1 * s2 / a - keep * s2.squareRoot(), eta2.squareRoot())
    }
}
