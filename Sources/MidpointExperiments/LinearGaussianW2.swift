import MidpointDiffusion
import MidpointLinearAlgebra
import MidpointScoreModels
import MidpointTargets

/// The exact error of a sampler on a zero-mean product Gaussian target `N(0, diag(λ))`, with the
/// starting noise integrated out in closed form (`docs/algorithms.md` §9).
///
/// There the score is linear, so given its own random draws (midpoints, injected noise) particle `p`
/// maps its start `x` to `A_p x + b_p` coordinate-wise. Two runs with the same seed, from all-zeros
/// and all-ones starts, read off every `(A_p, b_p)` (the draws depend on the particle, never on its
/// state). From the sampler's `N(0, I)` start the output law is the mixture over the draws of
/// `N(b_p, A_p²)` per coordinate; its mean is `E b` and its variance `E A² + Var b`. The reported
/// error is the W2 between that law's Gaussian fit and the target at the run's final time `δ`,
/// `q_δ = N(0, diag(α_δ² λ + σ_δ²))` (the law an exact solver would reach; comparing with `q₀` instead
/// would add the early-stopping bias, which grows like `√d` and hides the discretization error):
/// `W2² = Σᵢ (E bᵢ)² + (√(E Aᵢ² + Var bᵢ) - √(α_δ² λᵢ + σ_δ²))²`. Run it without the final denoising step. For a deterministic sampler every particle has
/// the same `(A, b)` and this is the exact W2 of its (Gaussian) output; for a randomized one the only
/// Monte Carlo left is over its draws, not over starting points.
public enum LinearGaussianW2 {
    /// The W2 of `sampler`'s output law against `N(0, diag(variances))`, with `options.particles` draws.
    /// - Parameter wrap: how the sampler sees the target (for example with a per-call latency).
    /// - Returns: the W2, and the NFE, rounds and wall seconds of one of the two runs.
    public static func w2(_ sampler: any DiffusionSampler, variances: [Double], options: DiffusionRunOptions,
                          wrap: (any ScoreModel) -> any ScoreModel = { $0 }) throws(SamplingError) -> (w2: Double, nfe: Double, rounds: Int, seconds: Double) {
        let d = variances.count
        let target: GaussianMixtureTarget
        do { target = try GaussianMixtureTarget(mean: [Double](repeating: 0, count: d), covariance: .diagonal(variances)) } catch {
            throw .invalidParameter(name: "variances", value: "\(d) values", allowed: error.description)
        }
        let p = options.particles
        let delta = try DiffusionRun.grid(for: sampler, options: options).earlyStop
        let (alpha, sigma2) = (ForwardProcess.alpha(delta), ForwardProcess.sigmaSquared(delta))
        let model = wrap(target)
        let zero = try DiffusionRun.run(sampler, model: model, options: options, initial: Matrix(rows: p, columns: d))
        let one = try DiffusionRun.run(sampler, model: model, options: options, initial: Matrix(rows: p, columns: d, repeating: 1))
        var total = 0.0
        for i in 0..<d {
            var meanB = 0.0, meanB2 = 0.0, meanA2 = 0.0
            for r in 0..<p {
                let b = zero.samples[r, i], a = one.samples[r, i] - b
                meanB += b; meanB2 += b * b; meanA2 += a * a
            }
            meanB /= Double(p); meanB2 /= Double(p); meanA2 /= Double(p)
            let variance = meanA2 + max(meanB2 - meanB * meanB, 0)
            let ds = variance.squareRoot() - (alpha * alpha * variances[i] + sigma2).squareRoot()
            total += meanB * meanB + ds * ds
        }
        return (total.squareRoot(), zero.nfe, zero.rounds, zero.seconds)
    }
}
