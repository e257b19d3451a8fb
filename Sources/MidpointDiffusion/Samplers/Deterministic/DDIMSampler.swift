import MidpointLinearAlgebra

/// DDIM (Song et al. 2021), the same as first-order DPM-Solver: the noise prediction is frozen over
/// a step, `x' = α' x̂₀ + σ' ε̂` with `x̂₀ = (x + σ² s)/α`, `ε̂ = -σ s`.
///
/// In terms of the score: `x' = (α'/α) x + (α' σ²/α - σ' σ) s`. Exact for every grid when `q₀` is a
/// point mass; first order in the step otherwise. One evaluation per step.
public struct DDIMSampler: DiffusionSampler {
    public let name = "ddim"
    public let defaultGrid = TimeGrid.Kind.uniformLogSNR

    /// The sampler.
    public init() {}

    public func evaluations(steps: Int) -> Int { steps }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        var s = Matrix(rows: x.rows, columns: x.columns)
        for n in 0..<grid.steps {
            let (t, t1) = (grid.times[n], grid.times[n + 1])
            context.evaluator.evaluate(tau: t, x: x, into: &s)
            let (a, a1) = (ForwardProcess.alpha(t), ForwardProcess.alpha(t1))
            let (sg, sg1) = (ForwardProcess.sigma(t), ForwardProcess.sigma(t1))
            x.scaleAndAdd(a1 / a, a1 * sg * sg / a - sg1 * sg, s)
            try context.finishStep(n, of: grid, x)
        }
    }
}
