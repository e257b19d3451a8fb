import Foundation
import Midpoint

/// The exact output law of a sampler on a diagonal Gaussian target, read off from its affine maps.
///
/// On `N(m, diag(v))` the score is affine, so given its own random draws particle `i` maps its start
/// `x` to `Aᵢ x + bᵢ` per coordinate (the draws depend on the particle, never on its state). Runs
/// from the all-zeros and all-ones states with one seed read off every `(Aᵢ, bᵢ)`; from the exact
/// `q_T = N(μ_T, c_T)` the output law has mean `E[A] μ_T + E[b]` and second moment
/// `E[A² (c_T + μ_T²) + 2 A b μ_T + b²]`, averaged over the particles' draws (the only Monte Carlo
/// left; none for a deterministic sampler). The bias is the W2 between that law's Gaussian fit and
/// `q_δ` (no denoising step, so no δ-bias).
///
/// With `standardNormalStart` the start law is `N(0, I)` — what a run draws — instead of `q_T`: the
/// bias then includes the prior's missing mean `α_T m`, which a sampler that treats its draw as pure
/// noise (rm-ms's first step) recovers.
public enum GaussianOutputLaw {
    /// The bias and its standard error (from the spread of the per-particle moments, propagated to the
    /// sd by `δ(sd) ≈ δ(m₂)/(2 sd)`).
    public static func bias(_ sampler: any DiffusionSampler, mean: [Double], variance: [Double], steps: Int,
                            particles: Int, seed: UInt64 = 21, horizon: Double? = nil,
                            standardNormalStart: Bool = false) throws -> (bias: Double, standardError: Double) {
        let d = mean.count
        let target = try GaussianMixtureTarget(mean: mean, covariance: .diagonal(variance))
        var options = DiffusionRunOptions(particles: particles, seed: seed)
        options.cost = .steps(steps)
        options.denoise = false
        if let horizon { options.horizon = horizon }
        let zeroRun = try DiffusionRun.run(sampler, model: target, options: options,
                                           initial: Matrix(rows: particles, columns: d))
        let zero = zeroRun.samples
        let one = try DiffusionRun.run(sampler, model: target, options: options,
                                       initial: Matrix(rows: particles, columns: d, repeating: 1)).samples
        let (t, delta) = (options.horizon, zeroRun.grid.earlyStop)
        var total = 0.0, variance2 = 0.0
        for j in 0..<d {
            let muT = standardNormalStart ? 0 : ForwardProcess.alpha(t) * mean[j]
            let cT = standardNormalStart ? 1 : ForwardProcess.alpha(t) * ForwardProcess.alpha(t) * variance[j] + ForwardProcess.sigmaSquared(t)
            var firsts = [Double](repeating: 0, count: particles), seconds = firsts
            for i in 0..<particles {
                let b = zero[i, j], a = one[i, j] - b
                firsts[i] = a * muT + b
                seconds[i] = a * a * (cT + muT * muT) + 2 * a * b * muT + b * b
            }
            let n = Double(particles)
            let m1 = firsts.reduce(0, +) / n, m2 = seconds.reduce(0, +) / n
            let sd = (m2 - m1 * m1).squareRoot()
            let exactMean = ForwardProcess.alpha(delta) * mean[j]
            let exactSD = (ForwardProcess.alpha(delta) * ForwardProcess.alpha(delta) * variance[j]
                           + ForwardProcess.sigmaSquared(delta)).squareRoot()
            total += (m1 - exactMean) * (m1 - exactMean) + (sd - exactSD) * (sd - exactSD)
            if particles > 1 {
                let se1 = (firsts.reduce(0) { $0 + ($1 - m1) * ($1 - m1) } / (n - 1) / n).squareRoot()
                let se2 = (seconds.reduce(0) { $0 + ($1 - m2) * ($1 - m2) } / (n - 1) / n).squareRoot()
                variance2 += se1 * se1 + pow(se2 / (2 * sd), 2)
            }
        }
        return (total.squareRoot(), variance2.squareRoot())
    }

    /// Least-squares slope of `log error` against `log(1/steps)` (the step size up to a constant): the
    /// convergence order.
    public static func fittedOrder(steps: [Int], errors: [Double]) -> Double {
        -LeastSquares.logLogSlope(steps.map(Double.init), errors)
    }
}
