import Foundation
import MidpointLinearAlgebra
import MidpointMetrics
import MidpointRandom
import MidpointTargets
import Testing

@Suite struct MetricsTests {
    /// Above `covarianceDimensionLimit` no `d × d` matrix is formed: the covariance error is left out and the
    /// mean error is the same number MomentErrors gives; the marginal variances come without the matrix.
    @Test func highDimensionalTargetsSkipTheCovariance() throws {
        let target = try ProductMixtureTarget(marginal: ScalarMixture(weights: [1], means: [0.5], variances: [0.3]), dimension: 3000)
        #expect(!MetricSuite.names(for: target).contains("cov rel error") && MetricSuite.names(for: target).contains("mean error"))
        let suite = MetricSuite(target: target, particles: 20, seed: 1)
        let x = target.sample(tau: 0, count: 20, noise: NoiseSource(seed: 5), step: 0, firstParticle: 0)
        let values = suite.evaluate(x)
        #expect(values.map(\.name) == suite.names)
        #expect(values[0].value == MomentErrors.meanError(samples: x, mean: target.mean(tau: 0)))
        #expect(target.variances(tau: 0.3) == [Double](repeating: target.marginal.variance(tau: 0.3), count: 3000))
        let small = BuiltinTarget.mixture64.make()
        let dense = small.covariance(tau: 0.2)
        #expect(zip(small.variances(tau: 0.2), (0..<64).map { dense[$0, $0] }).allSatisfy { abs($0 - $1) <= 1e-12 * $1 })
    }

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

    /// Exact draws sit at their floors; draws shifted by 0.5 in every coordinate do not (product1024,
    /// 64 particles).
    ///
    /// Exact draws from another seed are, metric by metric, another copy of the floor's statistic
    /// (both compare an independent exact sample with the same reference or law), so each value must
    /// lie within `3 × floor + 5 SD`, with SD the metric's standard deviation over 20 further exact
    /// samples. For most metrics the 3× alone is a wide margin — their spread over 300 seeds is 0.3–7%
    /// of their mean (mean error 2.2%, cov 0.3%, sliced W2 2.6%, hist TV 7%), so 3× is over 25 SDs
    /// away; the 5 SD matter for pooled W1 and KS (spread 53% and 31%) and for energy and MMD, which
    /// report `√max(U, 0)` for an unbiased `U` and so are 0 in about 60% of exact samples, floors
    /// included.
    ///
    /// Shifted by 0.5: the mean error moves by the shift, `|e(x + s) - ‖s‖| ≤ e(x)` with `‖s‖ = 0.5√1024 = 16`
    /// (triangle inequality); the covariance error does not move (to rounding: each shifted value
    /// is off by ≤ ½ ulp(4) = 4.4e-16, moving a covariance entry by ≤ 2·4.4e-16·max|x| ≈ 4e-15 and the
    /// Frobenius error of 1024² entries, relative to ‖C‖_F ≈ 100, by ≤ 1024·4e-15/100 ≈ 4e-14); the pooled W1
    /// moves by the shift, `|W1 - 0.5| ≤ W1(x)`; the pooled KS, W1 and histogram TV exceed 10× their
    /// floors (a shift of 0.5 against a floor of order 1/√65536); energy and MMD leave the exact draws'
    /// acceptance region above. (Sliced W2 is not checked shifted: along a random unit direction the shift
    /// is 0.5 Σθᵢ, about 0.5, no larger than its floor at 64 particles.)
    @Test func suiteReportsFloorsBesideValues() {
        let target = BuiltinTarget.product1024.make()
        let (particles, d) = (64, 1024)
        let suite = MetricSuite(target: target, particles: particles, seed: 1)
        let draws = target.sample(tau: 0, count: particles, noise: NoiseSource(seed: 77))
        let values = suite.evaluate(draws)
        let names = MetricSuite.names(for: target)
        #expect(values.map(\.name) == names)
        #expect(names == ["mean error", "cov rel error", "sliced W2", "energy", "MMD", "pooled KS", "pooled W1", "hist TV"])
        #expect(values.map(\.floor) == suite.floors.map(\.value))
        let spread = (0..<20).map { k in
            suite.evaluate(target.sample(tau: 0, count: particles, noise: NoiseSource(seed: 1000 + UInt64(k)))).map(\.value)
        }
        var bound: [String: Double] = [:]
        for (k, v) in values.enumerated() {
            let xs = spread.map { $0[k] }
            let mean = xs.reduce(0, +) / Double(xs.count)
            let sd = (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)).squareRoot()
            bound[v.name] = 3 * v.floor + 5 * sd
            #expect(v.value <= bound[v.name]!, "\(v.name): exact draws \(v.value), floor \(v.floor), SD \(sd)")
        }
        let shifted = suite.evaluate(Matrix(rows: particles, columns: d, storage: draws.storage.map { $0 + 0.5 }))
        let exact = Dictionary(uniqueKeysWithValues: values.map { ($0.name, $0.value) })
        let moved = Dictionary(uniqueKeysWithValues: shifted.map { ($0.name, $0) })
        #expect(abs(moved["mean error"]!.value - 0.5 * Double(d).squareRoot()) <= exact["mean error"]!)
        #expect(abs(moved["cov rel error"]!.value - exact["cov rel error"]!) <= 4e-14)
        #expect(abs(moved["pooled W1"]!.value - 0.5) <= exact["pooled W1"]!)
        for name in ["pooled KS", "pooled W1", "hist TV"] {
            #expect(moved[name]!.value > 10 * moved[name]!.floor, "\(name): shifted \(moved[name]!.value), floor \(moved[name]!.floor)")
        }
        for name in ["energy", "MMD"] {
            #expect(moved[name]!.value > bound[name]!, "\(name): shifted \(moved[name]!.value), exact draws' bound \(bound[name]!)")
        }
    }
}
