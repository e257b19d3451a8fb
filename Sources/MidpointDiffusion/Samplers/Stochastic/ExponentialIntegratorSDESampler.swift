import Foundation
import MidpointLinearAlgebra

/// The exponential integrator for the reverse SDE with the score frozen at the start of the step:
/// `x' = e^h x + 2(e^h - 1) s + √(e^{2h} - 1) ξ` (the linear drift and the noise are integrated
/// exactly). One evaluation per step; noise in slot 0.
public struct ExponentialIntegratorSDESampler: DiffusionSampler {
    public let name = "ei-sde"
    public let defaultGrid = TimeGrid.Kind.uniformLogSNR

    /// The sampler.
    public init() {}

    public func evaluations(steps: Int) -> Int { steps }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        var s = Matrix(rows: x.rows, columns: x.columns)
        var xi = Matrix(rows: x.rows, columns: x.columns)
        for n in 0..<grid.steps {
            let h = grid.stepSize(n)
            context.evaluator.evaluate(tau: grid.times[n], x: x, into: &s)
            context.noise.fillNormal(&xi, step: n + 1, slot: 0)
            x.scaleAndAdd(exp(h), 2 * expm1(h), s)
            x.scaleAndAdd(1, expm1(2 * h).squareRoot(), xi)
            try context.finishStep(n, of: grid, x)
        }
    }
}
