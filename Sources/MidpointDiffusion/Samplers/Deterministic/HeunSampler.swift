import MidpointLinearAlgebra
import MidpointScoreModels

/// Heun's second-order method on the probability-flow ODE in EDM's variables (Karras et al. 2022):
/// `y = x/α`, `ς = σ/α`, `dy/dς = (y - x̂₀)/ς = ε̂`. Each step takes an Euler predictor and averages
/// the two slopes; the last step is Euler only. `2N - 1` evaluations for `N` steps.
public struct HeunSampler: DiffusionSampler {
    public let name = "heun"
    /// Peak memory in batch-sized (N × d) matrices: the state, its score and this sampler's own buffers
    /// (measured: 3.99 × 8·N·d bytes above the process's own at N = 200,000, d = 64).
    public func workingMatrices(steps: Int) -> Int { 4 }
    public let summary = "EDM's Heun (second order), Euler on the last step"
    public let costFormula = "2N − 1"
    public let defaultGrid = TimeGrid.Kind.edm

    /// The sampler.
    public init() {}

    public func evaluations(steps: Int) -> Int { 2 * steps - 1 }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        var s = Matrix(rows: x.rows, columns: x.columns)
        var slope = Matrix(rows: x.rows, columns: x.columns)
        var predicted = Matrix(rows: x.rows, columns: x.columns)
        for n in 0..<grid.steps {
            let (t, t1) = (grid.times[n], grid.times[n + 1])
            let (a, a1) = (ForwardProcess.alpha(t), ForwardProcess.alpha(t1))
            let (sg, sg1) = (ForwardProcess.sigma(t), ForwardProcess.sigma(t1))
            let dς = sg1 / a1 - sg / a
            context.evaluator.evaluate(tau: t, x: x, into: &s)
            // y = x/α; slope ε̂ = -σ s; Euler: y_e = y + dς ε̂, x_e = α' y_e.
            slope.assign(-sg, s, plus: 0, s)
            predicted.assign(a1 / a, x, plus: a1 * dς, slope)
            if n == grid.steps - 1 {
                swap(&x, &predicted)
            } else {
                try context.checkFinite(predicted, step: n, tau: t1)
                context.evaluator.evaluate(tau: t1, x: predicted, into: &s)
                // y' = y + dς (ε̂ + ε̂')/2 with ε̂' = -σ' s'.
                slope.scaleAndAdd(0.5, -0.5 * sg1, s)
                x.scaleAndAdd(a1 / a, a1 * dς, slope)
            }
            try context.finishStep(n, of: grid, x)
        }
    }
}
