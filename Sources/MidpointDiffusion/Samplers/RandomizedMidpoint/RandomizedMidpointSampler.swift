import Foundation
import MidpointLinearAlgebra

/// The paper's randomized-midpoint predictor on the probability-flow ODE (Gupta, Cai & Chen 2024).
///
/// Per step and particle, with `a ~ U[0, 1]` drawn fresh (slot 1):
/// ```
/// x_mid = e^{ah} x + (e^{ah} - 1) s(τₙ, x)
/// x'    = e^h x + h e^{(1-a)h} s(τₙ - ah, x_mid)
/// ```
/// Two evaluations per step; each particle's midpoint has its own time. Unbiased for the exact
/// step's integral, and stable only for `h ≲ 1/L` (`L ≈ 1/σ²` near the data), so the grid must shrink
/// toward `δ`: the default log-SNR grid does.
public struct RandomizedMidpointSampler: DiffusionSampler {
    public let name = "rm"
    public let defaultGrid = TimeGrid.Kind.uniformLogSNR

    /// The sampler.
    public init() {}

    public func evaluations(steps: Int) -> Int { 2 * steps }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        var step = RandomizedMidpointStep(rows: x.rows, columns: x.columns)
        for n in 0..<grid.steps {
            let finite = try step.advance(&x, from: grid.times[n], to: grid.times[n + 1], randomStep: n + 1,
                                          context: context)
            try context.finishStep(n, of: grid, x, knownFinite: finite)
        }
    }
}

/// One randomized-midpoint ODE step with its work buffers (shared by `rm` and `rm-pc`).
struct RandomizedMidpointStep {
    /// The score at the start, then (overwritten in place) the midpoint: one buffer fewer keeps
    /// the working set of a large batch in cache.
    var s: Matrix
    var midScore: Matrix

    init(rows: Int, columns: Int) {
        s = Matrix(rows: rows, columns: columns)
        midScore = Matrix(rows: rows, columns: columns)
    }

    /// Advances `x` from `t` to `t1`; returns whether the new `x` is finite (checked in the update).
    @discardableResult
    mutating func advance(_ x: inout Matrix, from t: Double, to t1: Double, randomStep: Int,
                          context: SamplingContext) throws(SamplingError) -> Bool {
        let h = t - t1
        let a = context.noise.uniforms(particles: x.rows, step: randomStep, slot: 1)
        context.evaluator.evaluate(tau: t, x: x, into: &s)
        let coefficients = a.map { RandomizedMidpoint.odeMidpoint(a: $0, h: h) }
        if !s.scaleAndAddRows(coefficients.map(\.score), coefficients.map(\.x), x) {
            try context.checkFinite(s, step: randomStep - 1, tau: t - h / 2)
        }
        context.evaluator.evaluate(times: a.map { t - $0 * h }, x: s, into: &midScore)
        return x.scaleAndAddRows([Double](repeating: exp(h), count: x.rows),
                                 a.map { RandomizedMidpoint.odeWeight(a: $0, h: h) }, midScore)
    }
}
