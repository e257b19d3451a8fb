import MidpointLinearAlgebra
import MidpointRandom
import MidpointScoreModels

/// A data distribution `q₀` whose noised laws `q_τ` are known in closed form at every `τ ≥ 0`:
/// exact scores, log-densities, moments and samples. Samplers are measured against these.
public protocol ExactTarget: ScoreModel {
    /// One line saying what the target is.
    var summary: String { get }

    /// `log q_τ(x)` (normalized).
    func logDensity(tau: Double, at x: [Double]) -> Double

    /// The mean of `q_τ`.
    func mean(tau: Double) -> [Double]

    /// The covariance of `q_τ` (a dense `d × d` matrix: `8d²` bytes).
    func covariance(tau: Double) -> Matrix

    /// The marginal variances of `q_τ`, the covariance's diagonal, without forming the `d × d` matrix.
    func variances(tau: Double) -> [Double]

    /// `count` exact draws from `q_τ` (`τ = 0` is the data law), row `r` from particle
    /// `firstParticle + r`'s streams at `step`.
    func sample(tau: Double, count: Int, noise: NoiseSource, step: Int, firstParticle: Int) -> Matrix
}

extension ExactTarget {
    /// By default the diagonal of ``covariance(tau:)``.
    public func variances(tau: Double) -> [Double] {
        let c = covariance(tau: tau)
        return (0..<dimension).map { c[$0, $0] }
    }

    /// `count` exact draws from `q_τ` using step 0 of `noise`'s streams.
    public func sample(tau: Double, count: Int, noise: NoiseSource) -> Matrix {
        sample(tau: tau, count: count, noise: noise, step: 0, firstParticle: 0)
    }
}
