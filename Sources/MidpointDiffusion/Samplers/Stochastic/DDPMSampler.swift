import MidpointLinearAlgebra

/// DDPM ancestral sampling (Ho et al. 2020) in its DDIM form with `η` at its ancestral value:
/// `x' = α' x̂₀ + √(σ'² - η²) ε̂ + η ξ`, `η² = (σ'²/σ²)(1 - α²/α'²)`, with `x̂₀ = (x + σ² s)/α` and
/// `ε̂ = -σ s`. One evaluation per step; noise in slot 0.
public struct DDPMSampler: DiffusionSampler {
    public let name = "ddpm"
    public let defaultGrid = TimeGrid.Kind.uniformLogSNR

    /// The sampler.
    public init() {}

    public func evaluations(steps: Int) -> Int { steps }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        var s = Matrix(rows: x.rows, columns: x.columns)
        var xi = Matrix(rows: x.rows, columns: x.columns)
        for n in 0..<grid.steps {
            let (t, t1) = (grid.times[n], grid.times[n + 1])
            context.evaluator.evaluate(tau: t, x: x, into: &s)
            context.noise.fillNormal(&xi, step: n + 1, slot: 0)
            let (a, a1) = (ForwardProcess.alpha(t), ForwardProcess.alpha(t1))
            let (s2, s21) = (ForwardProcess.sigmaSquared(t), ForwardProcess.sigmaSquared(t1))
            let eta2 = s21 / s2 * (1 - (a * a) / (a1 * a1))
            let keep = max(s21 - eta2, 0).squareRoot()
            // α' x̂₀ + keep · ε̂ = (α'/α) x + (α' σ²/α - keep · σ) s
            x.scaleAndAdd(a1 / a, a1 * s2 / a - keep * s2.squareRoot(), s)
            x.scaleAndAdd(1, eta2.squareRoot(), xi)
            try context.finishStep(n, of: grid, x)
        }
    }
}
