import Foundation
import MidpointLinearAlgebra
import MidpointLogConcave
import MidpointMetrics
import MidpointRandom
import MidpointTestSupport
import Testing

/// Warm-up adaptation: Stan's windows, dual averaging, the curvature estimate, the preconditioned
/// potential, and whole adaptive runs.
@Suite struct AdaptationTests {
    /// A diagonal Gaussian `N(0, diag(λ))`.
    static func gaussian(_ lambdas: [Double]) throws -> GaussianPotential {
        var covariance = Matrix(rows: lambdas.count, columns: lambdas.count)
        for (i, l) in lambdas.enumerated() { covariance[i, i] = l }
        return try GaussianPotential(mean: [Double](repeating: 0, count: lambdas.count), covariance: covariance)
    }

    @Test func scheduleFollowsStansWindows() {
        let s = WarmupSchedule(warmup: 1000)
        #expect(s.initial == 75 && s.final == 50 && s.windows == [25, 50, 100, 200, 500])
        let short = WarmupSchedule(warmup: 100)
        #expect(short.initial == 15 && short.final == 10 && short.windows == [75])
        for w in [0, 1, 7, 149, 150, 151, 999, 5000, 12_345] {
            let t = WarmupSchedule(warmup: w)
            #expect(t.total == w, "warm-up \(w): \(t)")
            // Doubling windows, the last absorbing the rest (at least the doubled size it replaces).
            for k in t.windows.indices.dropLast() where k > 0 { #expect(t.windows[k] == 2 * t.windows[k - 1]) }
        }
    }

    /// On a deterministic acceptance curve `a(h) = e^{-h}` the averaged step converges to the root of
    /// `a(h) = 0.574`, `h* = -ln 0.574 = 0.5551`. Dual averaging's error after `t` steps shrinks like
    /// `t^{-1/2}` from a start 10× off; 5,000 steps bring it within 1% (measured 0.2%).
    @Test func dualAveragingFindsTheTargetAcceptance() {
        var averaging = DualAveraging(initial: 5, target: 0.574)
        for _ in 0..<5000 { averaging.update(acceptance: exp(-averaging.step)) }
        #expect(abs(averaging.averagedStep / -log(0.574) - 1) <= 0.01, "\(averaging.averagedStep)")
    }

    /// With `k = d` Lanczos iterations the Ritz values are the eigenvalues: on `N(0, diag(λ))` the
    /// Hessian is `diag(1/λ)`, so the estimate is `1/λ_min` and `1/λ_max`. The finite-difference
    /// Hessian-vector products of a quadratic are exact up to rounding, `≈ 1e-16 |∇f| / ε` with
    /// `ε = 1e-5`: relative 1e-10; the tolerance is 1e-7.
    @Test func curvatureIsExactOnAGaussianWithFullLanczos() throws {
        let lambdas = [0.01, 0.05, 0.3, 1, 2.5, 7]
        let target = try Self.gaussian(lambdas)
        let chunks = RowChunks()
        let evaluator = GradientEvaluator(potential: target, chains: 3, chunks: chunks)
        let noise = NoiseSource(seed: 4)
        var x = Matrix(rows: 3, columns: 6)
        noise.fillNormal(&x, step: 0, slot: 0)
        var g = Matrix(rows: 3, columns: 6)
        evaluator.evaluate(x, into: &g)
        let c = CurvatureEstimate.estimate(at: x, gradients: g, evaluator: evaluator, noise: noise, step: 1, slot: 0, iterations: 6)
        #expect(abs(c.largest / 100 - 1) <= 1e-7 && abs(c.smallest * 7 - 1) <= 1e-7, "\(c)")
        // Every probe is a counted gradient evaluation: one initial, six Lanczos iterations.
        #expect(evaluator.gradientsPerChain == 7)
    }

    /// The preconditioned potential's gradient is `Tᵀ ∇f(μ + T y)`: checked against central finite
    /// differences of its value (step 1e-5, error `O(h²) ≈ 1e-10` relative to the gradient's scale),
    /// and the coordinate maps are inverse to each other (rounding, 1e-12).
    @Test func preconditionedGradientMatchesFiniteDifferences() throws {
        let base = try GaussianPotential.illConditioned(dimension: 5, condition: 30)
        var l = Matrix(rows: 5, columns: 5)
        for i in 0..<5 { for j in 0...i { l[i, j] = i == j ? 0.5 + 0.1 * Double(i) : 0.07 * Double(i - j) - 0.1 } }
        let center = [0.3, -0.2, 0.1, 0, 0.5]
        for p in [PreconditionedPotential(base, center: center, factor: l, smoothness: nil, strongConvexity: nil),
                  PreconditionedPotential(base, center: center, scale: [0.5, 2, 1, 0.3, 1.5], smoothness: nil, strongConvexity: nil)] {
            let y = [0.4, -1.1, 0.2, 0.9, -0.3]
            func value(_ y: [Double]) -> Double {
                var g = [Double](repeating: 0, count: 5), v = 0.0
                y.withUnsafeBufferPointer { yp in
                    g.withUnsafeMutableBufferPointer { gp in
                        p.evaluate(x: MatrixView(base: yp.baseAddress!, rows: 1, columns: 5),
                                   gradients: MutableMatrixView(base: gp.baseAddress!, rows: 1, columns: 5), values: &v)
                    }
                }
                return v
            }
            let numeric = FiniteDifference.gradient(of: value, at: y, step: 1e-5)
            var analytic = [Double](repeating: 0, count: 5)
            y.withUnsafeBufferPointer { yp in
                analytic.withUnsafeMutableBufferPointer { gp in
                    p.evaluate(x: MatrixView(base: yp.baseAddress!, rows: 1, columns: 5),
                               gradients: MutableMatrixView(base: gp.baseAddress!, rows: 1, columns: 5), values: nil)
                }
            }
            let scale = analytic.map(abs).max()!
            for j in 0..<5 { #expect(abs(numeric[j] - analytic[j]) <= 1e-7 * scale, "coordinate \(j)") }
            let ym = Matrix(rows: 1, columns: 5, storage: y)
            let back = p.toPreconditioned(p.toOriginal(ym))
            for j in 0..<5 { #expect(abs(back[0, j] - y[j]) <= 1e-12) }
            // ∇ₓf = T⁻ᵀ ∇_y f̃.
            let gx = p.originalGradients(Matrix(rows: 1, columns: 5, storage: analytic))
            var direct = [Double](repeating: 0, count: 5)
            let x = p.toOriginal(ym).storage
            x.withUnsafeBufferPointer { xp in
                direct.withUnsafeMutableBufferPointer { gp in
                    base.evaluate(x: MatrixView(base: xp.baseAddress!, rows: 1, columns: 5),
                                  gradients: MutableMatrixView(base: gp.baseAddress!, rows: 1, columns: 5), values: nil)
                }
            }
            for j in 0..<5 { #expect(abs(gx[0, j] - direct[j]) <= 1e-10 * direct.map(abs).max()!) }
        }
    }

    /// A whole adaptive run of rm-ulmc on the κ = 100, d = 100 Gaussian: the dense preconditioner makes
    /// the problem better conditioned (a measured guard: the curvature ratio L̃/m̃ is 10 after the
    /// default 1,000-step warm-up, 53 after 500; the bound is 4× below κ = 100), the draws are the same for 1
    /// and 2 threads, and the Stein check equals the exact error of the means and sds (a Gaussian target:
    /// the identity is exact for any draws; rounding only, 1e-8).
    @Test func adaptiveRunPreconditionsAndStaysDeterministic() throws {
        let target = try GaussianPotential.illConditioned(dimension: 100, condition: 100)
        var options = MCMCOptions(chains: 4, draws: 500, warmup: 1000, seed: 3)
        options.recordGradients = true
        let one = try MCMCRun.run(sampler: "rm-ulmc", potential: target, parameters: .init(), options: options,
                                  adaptation: WarmupAdaptation())
        options.threads = 2
        let two = try MCMCRun.run(sampler: "rm-ulmc", potential: target, parameters: .init(), options: options,
                                  adaptation: WarmupAdaptation())
        #expect(one.draws == two.draws)
        let warm = try #require(one.warmup)
        #expect(warm.potential.factor != nil)
        #expect(warm.curvature.largest / warm.curvature.smallest < 25, "\(warm.curvature)")
        #expect(one.gradientEvaluations == warm.gradientEvaluations + 2 * 500 + 1)
        let stein = try #require(SteinCheck(draws: one.draws, gradients: one.gradients!, dimension: 100))
        let n = Double(4 * 500)
        for j in 0..<100 {
            let xs = (0..<(4 * 500)).map { one.draws[$0 * 100 + j] }
            let mean = xs.reduce(0, +) / n
            let sd = (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
            let exactSD = target.covariance[j, j].squareRoot()
            #expect(abs(stein.meanError[j] - (mean - target.mean[j]) / exactSD) <= 1e-8)
            #expect(abs(stein.sdError[j] - (sd / exactSD - 1)) <= 1e-8)
        }
    }

    /// The Stein check sees an unadjusted sampler's bias. ULA on `N(0, 1)` with step `h` has the
    /// stationary law `N(0, 1/(1 - h/2))`: at `h = 0.8` the sd is `1/√0.6 = 1.291`, 29% too wide. From
    /// 20,000 independent chains after 200 steps (the transient is `0.2⁴⁰⁰`), the estimate's standard
    /// error is `≈ 1.29 / √(2 · 20000) = 0.0065`; the bound is 5 SE.
    @Test func steinCheckMeasuresULABias() throws {
        let target = try Self.gaussian([1])
        var options = MCMCOptions(chains: 20_000, draws: 1, warmup: 200, seed: 8)
        options.recordGradients = true
        let run = try MCMCRun.run(ULASampler(stepSize: 0.8), potential: target, options: options)
        let stein = try #require(SteinCheck(draws: run.draws, gradients: run.gradients!, dimension: 1))
        #expect(abs(stein.sdError[0] - (1 / 0.6.squareRoot() - 1)) <= 5 * 0.0065, "\(stein.sdError[0])")
    }
}
