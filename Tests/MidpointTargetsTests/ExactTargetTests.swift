import Foundation
import MidpointLinearAlgebra
import MidpointRandom
import MidpointScoreModels
import MidpointTargets
import MidpointTestSupport
import Testing

@Suite struct ExactTargetTests {
    /// The analytic score equals a fourth-order central difference of the analytic log-density. With
    /// step h = 1e-3·√c_min (c_min the smallest variance at τ), truncation error is O((h/√c)⁴) ≈ 1e-12
    /// and rounding O(ε|log q|/h) ≈ 1e-11 relative, far inside the 1e-6 bar.
    @Test(arguments: [0.0, 0.01, 0.3, 1.5, 4.0])
    func scoreIsGradientOfLogDensity(tau: Double) throws {
        for (name, target) in try TargetFixtures.all() {
            let d = target.dimension
            let minVariance = 0.05 * ForwardProcess.alpha(tau) * ForwardProcess.alpha(tau) + ForwardProcess.sigmaSquared(tau)
            let h = 1e-3 * minVariance.squareRoot()
            for p in 0..<4 {
                let x = (0..<d).map { j in ForwardProcess.alpha(tau) * sin(Double(3 * p + j) + 0.3) * 1.2 + 0.1 * Double(p) }
                let s = target.score(tau: tau, at: x)
                let fd = FiniteDifference.gradient(of: { target.logDensity(tau: tau, at: $0) }, at: x, step: h)
                let err = zip(s, fd).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
                let norm = s.reduce(0) { $0 + $1 * $1 }.squareRoot()
                #expect(err <= 1e-6 * max(norm, 1), "\(name) at τ = \(tau), point \(p): error \(err), |s| = \(norm)")
            }
        }
    }

    @Test func scoreIsFiniteFarAwayAndNearZeroTime() throws {
        for (name, target) in try TargetFixtures.all() {
            for tau in [0.0, 1e-6, 1e-3, 10] {
                for scale in [1e6, -1e6, 1e3] {
                    let x = (0..<target.dimension).map { j in scale * (j % 2 == 0 ? 1 : -0.5) }
                    let s = target.score(tau: tau, at: x)
                    #expect(s.allSatisfy { $0.isFinite }, "\(name) at τ = \(tau), |x| ~ \(scale)")
                    #expect(target.logDensity(tau: tau, at: x).isFinite, "\(name) log-density at τ = \(tau)")
                }
            }
        }
    }

    @Test func singleGaussianScoreIsClosedForm() throws {
        // s(τ, x) = -C⁻¹(x - α m), C = α² Σ + σ² I.
        let target = try GaussianMixtureTarget(mean: [0.2, 0, -0.4], covariance: .full(TargetFixtures.fullCovariance))
        let tau = 0.7
        let a = ForwardProcess.alpha(tau), s2 = ForwardProcess.sigmaSquared(tau)
        var c = TargetFixtures.fullCovariance
        for i in 0..<3 { for j in 0..<3 { c[i, j] *= a * a }; c[i, i] += s2 }
        let inverse = try SymmetricEigen(c).reconstruct { 1 / $0 }
        let x = [1e6, -3.0, 2.0]
        let diff = zip(x, [0.2, 0, -0.4]).map { $0 - a * $1 }
        let expected = (0..<3).map { i in -(0..<3).reduce(0.0) { $0 + inverse[i, $1] * diff[$1] } }
        let s = target.score(tau: tau, at: x)
        for i in 0..<3 { #expect(abs(s[i] - expected[i]) <= 1e-12 * abs(expected[0])) }
    }

    @Test func logDensityIsNormalized() throws {
        // Riemann sum over a box holding all but a negligible tail; the integrand is smooth so the
        // midpoint rule converges much faster than the 1e-6 asked here.
        let ring = BuiltinTarget.ring2d.make()
        let n = 600, lo = -5.0, hi = 5.0
        let h = (hi - lo) / Double(n)
        var total = 0.0
        for i in 0..<n {
            for j in 0..<n {
                total += exp(ring.logDensity(tau: 0.2, at: [lo + (Double(i) + 0.5) * h, lo + (Double(j) + 0.5) * h]))
            }
        }
        #expect(abs(total * h * h - 1) < 1e-6)
        let product = try ProductMixtureTarget(marginal: ScalarMixture(weights: [1, 2, 1], means: [-1, 0, 2], variances: [0.1, 0.2, 0.05]), dimension: 1)
        var total1 = 0.0
        let m = 20_000, h1 = 16.0 / Double(m)
        for i in 0..<m { total1 += exp(product.logDensity(tau: 0.05, at: [-8 + (Double(i) + 0.5) * h1])) }
        #expect(abs(total1 * h1 - 1) < 1e-9)
    }

    /// Exact draws have the exact mean and variance. Per coordinate the sample mean's standard error
    /// is √(v/N); the sample variance's is √((μ₄ - v²)/N), estimated from the sample's own fourth
    /// central moment (mixtures are not Gaussian). Five standard errors: a correct sampler fails with
    /// probability below 1e-6 per check (and the seed is fixed).
    @Test(arguments: [0.0, 0.05, 1.0])
    func exactSamplesHaveExactMoments(tau: Double) throws {
        let n = 20_000
        for (name, target) in try TargetFixtures.all() {
            let x = target.sample(tau: tau, count: n, noise: NoiseSource(seed: 11))
            let mean = target.mean(tau: tau), cov = target.covariance(tau: tau)
            let sampleMean = x.columnMeans()
            for j in 0..<target.dimension {
                let v = cov[j, j]
                #expect(abs(sampleMean[j] - mean[j]) < 5 * (v / Double(n)).squareRoot(), "\(name) mean[\(j)] at τ = \(tau)")
                var m2 = 0.0, m4 = 0.0
                for i in 0..<n { let e = x[i, j] - sampleMean[j]; m2 += e * e; m4 += e * e * e * e }
                m2 /= Double(n - 1); m4 /= Double(n)
                #expect(abs(m2 - v) < 5 * ((m4 - m2 * m2) / Double(n)).squareRoot(), "\(name) var[\(j)] at τ = \(tau)")
            }
        }
    }

    @Test func builtinsHaveTheirDimensions() {
        for b in BuiltinTarget.allCases {
            let t = b.make()
            #expect(t.dimension == b.dimension)
            let s = t.score(tau: 0.5, at: [Double](repeating: 0.3, count: b.dimension))
            #expect(s.allSatisfy { $0.isFinite })
        }
        // gauss256: condition number 1000 by construction.
        let cov = BuiltinTarget.gauss256.make().covariance(tau: 0)
        let eig = try? SymmetricEigen(cov)
        #expect(abs(eig!.values.last! / eig!.values.first! - 1000) < 1e-6 * 1000)
    }

    /// The score is the same whether rows are evaluated one at a time, in one batch, or with
    /// different times per row; blocks inside the kernel must not leak between rows.
    @Test func batchedScoresEqualRowByRow() throws {
        for (name, target) in try TargetFixtures.all() {
            let n = 70, d = target.dimension
            var x = Matrix(rows: n, columns: d)
            NoiseSource(seed: 5).fillNormal(&x, step: 0, slot: 0)
            let times = (0..<n).map { 0.01 + Double($0) * 0.05 }
            let evaluator = ScoreEvaluator(model: target, particles: n)
            var batched = Matrix(rows: n, columns: d)
            evaluator.evaluate(times: times, x: x, into: &batched)
            for i in 0..<n {
                #expect(target.score(tau: times[i], at: x.row(i)) == batched.row(i), "\(name) row \(i)")
            }
        }
    }
}

@Suite struct LogDeterminantTests {
    /// At the mean of a diagonal Gaussian, `log q_τ = -½ Σⱼ log(2π cⱼ)`, `cⱼ = α² vⱼ + σ²`. Variances
    /// spanning 1e-40…1e40 and dimensions around the kernel's SIMD blocks (4 lanes, renormalized every
    /// 16 factors) check the blocked log-determinant against one logarithm per factor.
    @Test(arguments: [1, 3, 4, 5, 15, 16, 17, 23, 64, 257])
    func blockedLogDeterminantIsExact(d: Int) throws {
        let variances = (0..<d).map { pow(10, -40 + 80 * Double(($0 * 37) % max(d, 1)) / Double(max(d - 1, 1))) }
        let mean = (0..<d).map { Double($0) * 0.1 }
        let target = try GaussianMixtureTarget(mean: mean, covariance: .diagonal(variances))
        for tau in [0.0, 1e-3, 0.5] {
            let a = ForwardProcess.alpha(tau), s2 = ForwardProcess.sigmaSquared(tau)
            let exact = -0.5 * variances.reduce(0) { $0 + log(2 * Double.pi * (a * a * $1 + s2)) }
            let got = target.logDensity(tau: tau, at: mean.map { a * $0 })
            #expect(abs(got - exact) <= 1e-12 * max(1, abs(exact)), "d = \(d), τ = \(tau): \(got) vs \(exact)")
        }
    }
}
