import MidpointLinearAlgebra

/// A sampler whose step uses one score evaluation at the start of the step and, optionally, one fresh
/// standard normal per coordinate (Philox slot 0): `x' = A x + B s(τₙ, x) + C ξ`.
///
/// Conformers state only their coefficients; the loop, the counting, the noise and the finiteness
/// checks live once, in the extension.
public protocol SingleStepSampler: DiffusionSampler {
    /// Whether the step adds fresh noise `C ξ`.
    var isStochastic: Bool { get }

    /// `(A, B, C)` for the step from `t` to `t1 < t`.
    func coefficients(from t: Double, to t1: Double) -> (state: Double, score: Double, noise: Double)
}

extension SingleStepSampler {
    public func evaluations(steps: Int) -> Int { steps }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        var s = Matrix(rows: x.rows, columns: x.columns)
        var xi = isStochastic ? Matrix(rows: x.rows, columns: x.columns) : Matrix(rows: 0, columns: 0)
        for n in 0..<grid.steps {
            let (t, t1) = (grid.times[n], grid.times[n + 1])
            context.evaluator.evaluate(tau: t, x: x, into: &s)
            let c = coefficients(from: t, to: t1)
            x.scaleAndAdd(c.state, c.score, s)
            if isStochastic {
                context.noise.fillNormal(&xi, step: n + 1, slot: 0)
                x.scaleAndAdd(1, c.noise, xi)
            }
            try context.finishStep(n, of: grid, x)
        }
    }
}
