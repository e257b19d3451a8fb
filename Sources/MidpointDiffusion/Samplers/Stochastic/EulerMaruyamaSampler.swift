import MidpointLinearAlgebra

/// Euler–Maruyama on the reverse SDE `dx = (x + 2 s(T - t, x)) dt + √2 dB`:
/// `x' = x + h (x + 2 s) + √(2h) ξ`. First order in the mean, one evaluation per step; noise in slot 0.
public struct EulerMaruyamaSampler: DiffusionSampler {
    public let name = "euler-maruyama"
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
            x.scaleAndAdd(1 + h, 2 * h, s)
            x.scaleAndAdd(1, (2 * h).squareRoot(), xi)
            try context.finishStep(n, of: grid, x)
        }
    }
}
