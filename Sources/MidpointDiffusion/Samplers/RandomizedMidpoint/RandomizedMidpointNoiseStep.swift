import Foundation
import MidpointLinearAlgebra
import MidpointScoreModels

/// One randomized-midpoint step in the DDIM variables, with its work buffers (shared by `rm` and
/// `rm-pc`; `docs/algorithms.md` §5.2).
///
/// In `y = x/α`, `ς = σ/α` the probability-flow ODE is `dy/dς = ε̂(α y, ς)`, with no linear part to
/// amplify. Per particle, `u ~ U[0, 1]` (slot 1) gives `ς_m = ς + u (ς' - ς)`, uniform on `[ς', ς]`:
/// ```
/// y_m = y + (ς_m - ς) ε̂(x, ς)          a DDIM step to ς_m
/// y'  = y + (ς' - ς) ε̂(x_m, ς_m)       the one-point quadrature of ∫ ε̂ dς at the random point
/// ```
/// Written on `x = α y` (so no state is ever divided by a tiny `α`), with `ε̂ = -σ s`:
/// `x_m = (α_m/α) x - α_m (ς_m - ς) σ s` and `x' = (α'/α) x - α' (ς' - ς) σ_m s_m`.
struct RandomizedMidpointNoiseStep {
    /// The score at the start, then (overwritten in place) the midpoint state.
    var s: Matrix
    /// The score at the midpoint.
    var midScore: Matrix

    init(rows: Int, columns: Int) {
        s = Matrix(rows: rows, columns: columns)
        midScore = Matrix(rows: rows, columns: columns)
    }

    /// Advances `x` from `t` to `t1 < t`, drawing the midpoints from Philox step `randomStep`;
    /// returns whether the new `x` is finite (checked in the update).
    @discardableResult
    mutating func advance(_ x: inout Matrix, from t: Double, to t1: Double, randomStep: Int,
                          context: SamplingContext) throws(SamplingError) -> Bool {
        let (alpha, alpha1, sigma) = (ForwardProcess.alpha(t), ForwardProcess.alpha(t1), ForwardProcess.sigma(t))
        let (v, v1) = (ForwardProcess.noiseToSignal(t), ForwardProcess.noiseToSignal(t1))
        let u = context.noise.uniforms(particles: x.rows, step: randomStep, slot: 1)
        let rows = x.rows
        var midTimes = [Double](repeating: 0, count: rows)
        var stateGain = midTimes, scoreGain = midTimes, weight = midTimes
        for i in 0..<rows {
            let vm = RandomizedMidpoint.noiseToSignalMidpoint(u: u[i], from: v, to: v1)
            let tm = ForwardProcess.tau(noiseToSignal: vm)
            let alphaM = ForwardProcess.alpha(tm)
            midTimes[i] = tm
            stateGain[i] = alphaM / alpha
            scoreGain[i] = -alphaM * (u[i] * (v1 - v)) * sigma
            weight[i] = -alpha1 * (v1 - v) * ForwardProcess.sigma(tm)
        }
        context.evaluator.evaluate(tau: t, x: x, into: &s)
        if !s.scaleAndAddRows(scoreGain, stateGain, x) {  // s ← x_m
            try context.checkFinite(s, step: randomStep - 1, tau: midTimes[0])
        }
        context.evaluator.evaluate(times: midTimes, x: s, into: &midScore)
        return x.scaleAndAddRows([Double](repeating: alpha1 / alpha, count: rows), weight, midScore)
    }
}
