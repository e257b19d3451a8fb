import Foundation
import MidpointLinearAlgebra

/// The exponential integrator for the probability-flow ODE `dx/dt = x + s(T - t, x)`, with the score
/// frozen at the start of each step: `x' = e^h x + (e^h - 1) s(τ_n, x)`.
///
/// Integrates the linear part exactly and the score to first order; one evaluation per step.
public struct ExponentialIntegratorODESampler: DiffusionSampler {
    public let name = "ei-ode"
    public let defaultGrid = TimeGrid.Kind.uniformLogSNR

    /// The sampler.
    public init() {}

    public func evaluations(steps: Int) -> Int { steps }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        var s = Matrix(rows: x.rows, columns: x.columns)
        for n in 0..<grid.steps {
            let h = grid.stepSize(n)
            context.evaluator.evaluate(tau: grid.times[n], x: x, into: &s)
            x.scaleAndAdd(exp(h), expm1(h), s)
            try context.finishStep(n, of: grid, x)
        }
    }
}
