import MidpointLinearAlgebra
import MidpointRandom
import MidpointScoreModels
import MidpointTargets

/// How far a model's score is from a target's exact score at one time `τ`, on the target's own
/// noised law: the relative root-mean-square error
/// `√(E‖s_θ(τ, X_τ) − s(τ, X_τ)‖² / E‖s(τ, X_τ)‖²)`, `X_τ ~ q_τ`, estimated from `count` exact draws.
///
/// This is the quantity the samplers' error bounds charge to the model (the score-matching error);
/// it is 0 for the exact score. The estimate's relative sampling error is of order `1/√count`.
public enum ScoreDiscrepancy {
    /// The allowed numbers of exact draws per time.
    public static let drawsRange = 1...10_000_000

    /// The relative RMS score error at `tau` over `count` draws from `target` at that time.
    public static func relative(model: any ScoreModel, target: any ExactTarget, tau: Double, count: Int,
                                seed: UInt64) -> Double {
        precondition(model.dimension == target.dimension && count > 0, "model and target dimensions differ, or no draws")
        let x = target.sample(tau: tau, count: count, noise: NoiseSource(seed: seed), step: 0, firstParticle: 0)
        var exact = Matrix(rows: count, columns: target.dimension)
        var learned = Matrix(rows: count, columns: target.dimension)
        let times = [Double](repeating: tau, count: count)
        times.withUnsafeBufferPointer { t in
            x.withView { xv in
                exact.withMutableView { target.score(times: t, x: xv, into: $0) }
                learned.withMutableView { model.score(times: t, x: xv, into: $0) }
            }
        }
        var error = 0.0, norm = 0.0
        for (a, b) in zip(learned.storage, exact.storage) {
            error += (a - b) * (a - b)
            norm += b * b
        }
        return (error / norm).squareRoot()
    }
}
