import Foundation
import MidpointLinearAlgebra

/// One randomized-midpoint ODE step with its work buffers in OU time (``RandomizedMidpointScoreSampler``).
struct RandomizedMidpointScoreStep {
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
