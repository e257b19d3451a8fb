import Foundation
import MidpointLinearAlgebra
import MidpointMetrics
import MidpointRandom
import MidpointTargets
import Testing

@Suite struct MetricsTests {
    @Test func gaussianW2ClosedForms() throws {
        // 1-D: W2² = (m₁ - m₂)² + (s₁ - s₂)².
        let w = try GaussianWasserstein.distance(mean1: [1], covariance1: Matrix(rowArrays: [[4]]),
                                                 mean2: [-2], covariance2: Matrix(rowArrays: [[0.25]]))
        #expect(abs(w - (9 + 1.5 * 1.5).squareRoot()) < 1e-14)
        // Commuting covariances: W2² = |Δm|² + Σ (√λᵢ - √μᵢ)².
        let a = Matrix(rowArrays: [[2, 1], [1, 2]])  // eigenvalues 1, 3 along (1, ∓1)/√2
        let b = Matrix(rowArrays: [[5, 4], [4, 5]])  // eigenvalues 1, 9 along the same directions
        let w2 = try GaussianWasserstein.distance(mean1: [0, 0], covariance1: a, mean2: [0, 0], covariance2: b)
        #expect(abs(w2 - (3 - 3.0.squareRoot())) < 1e-12)
        #expect(try GaussianWasserstein.distance(mean1: [1, 2], covariance1: a, mean2: [1, 2], covariance2: a) < 1e-7)
    }

    /// Shifting every point by c moves every projection by θ·c, and the sorted 1-D samples pair up:
    /// SW₂² = E_θ (θ·c)² = |c|²/d exactly for uniformly random unit θ. With 128 directions the Monte
    /// Carlo error of E_θ(θ·c)² is about √(2/128) ≈ 12% relative in d = 4 (Var (θ·e)² = 2/(d(d+2)) …),
    /// so the check allows 30%.
    @Test func slicedW2OfAShift() {
        var x = Matrix(rows: 500, columns: 4)
        NoiseSource(seed: 1).fillNormal(&x, step: 0, slot: 0)
        var y = x
        for i in 0..<500 { y[i, 0] += 2 }
        #expect(SlicedWasserstein.distance(x, x) == 0)
        let sw = SlicedWasserstein.distance(x, y, projections: 128)
        #expect(abs(sw - 2 / 2.0) < 0.3, "sliced W2 \(sw), exact 1")
    }

    @Test func energyAndMMDSeparateLawsAndVanishOnOne() {
        var a = Matrix(rows: 800, columns: 3), b = a, c = a
        NoiseSource(seed: 2).fillNormal(&a, step: 0, slot: 0)
        NoiseSource(seed: 3).fillNormal(&b, step: 0, slot: 0)
        NoiseSource(seed: 4).fillNormal(&c, step: 0, slot: 0)
        for i in 0..<800 { c[i, 1] += 1 }
        let same = EnergyDistance.distance(a, b), shifted = EnergyDistance.distance(a, c)
        #expect(shifted > 5 * same, "energy: same law \(same), shifted \(shifted)")
        let mmdSame = MaximumMeanDiscrepancy.distance(a, b), mmdShifted = MaximumMeanDiscrepancy.distance(a, c)
        #expect(mmdShifted > 5 * mmdSame, "MMD: same law \(mmdSame), shifted \(mmdShifted)")
    }

    /// Exact draws: KS below the Kolmogorov 0.999 quantile 1.9495/√n. For W1, E W1 ≤ J/√n with
    /// J = ∫ √(F(1 - F)) dx (E|Fₙ - F| ≤ √(F(1-F)/n) pointwise); by Markov, 5J/√n fails with
    /// probability under 20% for an arbitrary seed, and the seed is fixed. A law shifted by c has
    /// W1 = |c| exactly, so shifted exact draws give c up to the unshifted error.
    @Test func pooledMarginalMetricsOnExactAndShiftedDraws() throws {
        let law = try ScalarMixture(weights: [0.4, 0.6], means: [-2, 1.5], variances: [0.3, 0.15])
        let target = try ProductMixtureTarget(marginal: law, dimension: 50)
        let draws = target.sample(tau: 0, count: 2000, noise: NoiseSource(seed: 9)).storage
        let exact = PooledMarginalMetrics(samples: draws, law: law)
        let n = Double(draws.count)
        #expect(exact.kolmogorovSmirnov < 1.9495 / n.squareRoot())
        var j = 0.0
        let (lo, hi, m) = (-10.0, 8.0, 20_000)
        for i in 0..<m {
            let f = law.cdf(tau: 0, lo + (Double(i) + 0.5) * (hi - lo) / Double(m))
            j += (f * (1 - f)).squareRoot() * (hi - lo) / Double(m)
        }
        #expect(exact.wasserstein1 < 5 * j / n.squareRoot(), "W1 \(exact.wasserstein1), J/√n = \(j / n.squareRoot())")
        #expect(exact.histogramTV < 0.03)
        let shifted = PooledMarginalMetrics(samples: draws.map { $0 + 0.25 }, law: law)
        #expect(abs(shifted.wasserstein1 - 0.25) <= exact.wasserstein1 + 1e-9)
        #expect(shifted.kolmogorovSmirnov > 10 * exact.kolmogorovSmirnov)
    }

    @Test func suiteReportsFloorsBesideValues() {
        let target = BuiltinTarget.product1024.make()
        let suite = MetricSuite(target: target, particles: 64, seed: 1)
        let values = suite.evaluate(target.sample(tau: 0, count: 64, noise: NoiseSource(seed: 77)))
        #expect(values.map(\.name) == MetricSuite.names(for: target))
        #expect(values.allSatisfy { $0.value.isFinite && $0.floor.isFinite && $0.floor >= 0 })
    }
}
