import Foundation
import MidpointDiffusion
import MidpointExperiments
import MidpointLinearAlgebra
import MidpointMetrics
import MidpointTargets
import Testing

/// The two error measures of `midpoint scaling`.
@Suite struct ScalingErrorTests {
    @Test(arguments: [1e-9, 1e-4, 0.02, 0.4, 0.5, 0.93, 1 - 1e-9])
    func quantileInvertsTheCDF(p: Double) throws {
        let mixture = try ScalarMixture(weights: [0.4, 0.6], means: [-2, 1.5], variances: [0.3, 0.15])
        for tau in [0.0, 1e-3, 0.7] {
            let x = mixture.quantile(tau: tau, p)
            #expect(abs(mixture.cdf(tau: tau, x) - p) <= 1e-12 * max(p, 1e-3))
        }
    }

    /// On a one-component product (a Gaussian) a deterministic sampler is affine, `x ↦ A z + b` per
    /// coordinate, and `LinearGaussianW2` gives its exact W2: `√(d (b² + (A - s)²))`. The stratified
    /// quadrature gives `√(d (b² + (A - s)² m₂))` with `m₂ = (1/P) Σ zₖ²` the midpoint rule's second
    /// moment of N(0, 1) (the cross term vanishes by symmetry of the zₖ): `m₂ = 0.99498` at P = 256,
    /// so the two agree to within 0.26% relative. The tolerance is 0.5%.
    @Test(arguments: ["ddim", "dpmpp-2m"])
    func quadratureMatchesTheExactGaussianError(name: String) throws {
        let (d, variance) = (8, 0.3)
        var options = DiffusionRunOptions(particles: 256, seed: 5)
        options.cost = .steps(6)
        options.denoise = false
        options.threads = 1
        let sampler = try SamplerRegistry.sampler(named: name)
        let exact = try LinearGaussianW2.w2(sampler, variances: [Double](repeating: variance, count: d), options: options)
        let target = try ProductMixtureTarget(marginal: ScalarMixture(weights: [1], means: [0], variances: [variance]),
                                              dimension: d)
        let quadrature = try ProductMixtureW2.w2(sampler, target: target, options: options)
        #expect(exact.w2 > 1e-3, "the grid must be coarse enough to leave an error")
        #expect(abs(quadrature.w2 - exact.w2) <= 0.005 * exact.w2, "quadrature \(quadrature.w2) vs exact \(exact.w2)")
        #expect(quadrature.nfe == exact.nfe)
    }

    /// Refining the grid drives the quadrature error of a deterministic sampler toward zero (no
    /// sampling floor): 64 steps of dpmpp-2m on the bimodal product must be at least 20× better than 4.
    @Test func quadratureErrorHasNoSamplingFloor() throws {
        let target = try ProductMixtureTarget(
            marginal: ScalarMixture(weights: [0.4, 0.6], means: [-2, 1.5], variances: [0.3, 0.15]), dimension: 4)
        var options = DiffusionRunOptions(particles: 128, seed: 1)
        options.denoise = false
        options.threads = 1
        let sampler = try SamplerRegistry.sampler(named: "dpmpp-2m")
        options.cost = .steps(4)
        let coarse = try ProductMixtureW2.w2(sampler, target: target, options: options).w2
        options.cost = .steps(64)
        let fine = try ProductMixtureW2.w2(sampler, target: target, options: options).w2
        #expect(fine * 20 < coarse, "coarse \(coarse), fine \(fine)")
    }
}
