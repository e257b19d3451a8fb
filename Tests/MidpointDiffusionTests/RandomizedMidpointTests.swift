import Foundation
import MidpointDiffusion
import MidpointLinearAlgebra
import MidpointRandom
import MidpointScoreModels
import MidpointTargets
import MidpointTestSupport
import Testing

@Suite struct RandomizedMidpointTests {
    /// `∫₀¹ f` by the shared composite Gauss–Legendre rule (exact to rounding for these smooth `f`).
    func integrate01(_ f: (Double) -> Double) -> Double { Quadrature.gaussLegendre(f, from0to: 1, panels: 400) }

    /// §5: for `a ~ U[0, 1]`, `E_a[w(a) g(ah)] = ∫₀ʰ e^{h-u} g(u) du` with `w` the sampler's weight
    /// ``RandomizedMidpoint/odeWeight(a:h:)``, against the integral in closed form for
    /// `g(u) = cos 3u + u² - ½e^{-u}` (integrating by parts; checked against mpmath to 1e-39):
    /// ```
    /// ∫₀ʰ e^{h-u} cos 3u du  = (3 sin 3h - cos 3h + e^h)/10
    /// ∫₀ʰ e^{h-u} u² du      = 2e^h - h² - 2h - 2
    /// ∫₀ʰ e^{h-u} (-½e^{-u}) = -½ sinh h
    /// ```
    /// The expectation over `a` is the shared Gauss–Legendre rule (5 points × 400 panels): its truncation
    /// error is below 1e-25 for these entire integrands (derivatives grow like (3h)ᵏ, h ≤ 2.5), so only
    /// rounding is left: at most 2000 terms summed, ≤ 2000ε of `∫|w g|`, plus a few ulps of each
    /// closed-form term (`Σ|terms|` is up to 400× the result at h = 0.01, where they cancel).
    @Test(arguments: [0.01, 0.3, 1.0, 2.5])
    func odeMidpointIsUnbiased(h: Double) {
        let g: (Double) -> Double = { cos(3 * $0) + $0 * $0 - 0.5 * exp(-$0) }
        let expectation = integrate01 { a in RandomizedMidpoint.odeWeight(a: a, h: h) * g(a * h) }
        let terms = [3 * sin(3 * h) / 10, -cos(3 * h) / 10, exp(h) / 10, 2 * exp(h), -h * h, -2 * h, -2, -0.5 * sinh(h)]
        let exact = terms.reduce(0, +)
        let magnitude = integrate01 { a in abs(RandomizedMidpoint.odeWeight(a: a, h: h) * g(a * h)) }
        let eps = Double.ulpOfOne
        let tolerance = 2000 * eps * magnitude + 8 * eps * terms.reduce(0) { $0 + abs($1) }
        #expect(abs(expectation - exact) <= tolerance, "h = \(h): \(expectation) vs \(exact)")
    }

    /// The midpoint state coefficients `(c_x(a), c_s(a))` of ``RandomizedMidpoint/odeMidpoint(a:h:)``
    /// move the state along the flow `x' = x + s` (constant score `s`) for a time `ah`, so they obey
    /// the flow's semigroup law, `c_x(a + b) = c_x(a) c_x(b)` and `c_s(a + b) = c_x(b) c_s(a) + c_s(b)`,
    /// start at the identity `(1, 0)`, and have initial slope `h` in `a` for both. (The law alone leaves
    /// `(e^{kah}, C(e^{kah} - 1))`; the slopes fix `k = C = 1`.)
    /// Tolerances: every quantity is positive, so products and sums add relative errors: `exp`/`expm1`
    /// ≤ 1 ulp each, their arguments `ah` carry ½ ulp which `exp` turns into `|ah|`·½ulp; with three
    /// arguments of size ≤ h and three roundings, `(6 + 3h)ε` relative bounds both laws.
    @Test(arguments: [0.01, 0.3, 1.0, 2.5])
    func odeMidpointCoefficientsFormASemigroup(h: Double) {
        let eps = Double.ulpOfOne
        let c = { (a: Double) in RandomizedMidpoint.odeMidpoint(a: a, h: h) }
        #expect(c(0).x == 1 && c(0).score == 0)
        for (a, b) in [(0.25, 0.5), (0.37, 0.6), (0.125, 0.875), (0.5, 0.5)] {
            let (ab, ca, cb) = (c(a + b), c(a), c(b))
            let tolerance = (6 + 3 * h) * eps
            #expect(abs(ab.x - ca.x * cb.x) <= tolerance * ab.x, "c_x at \(a) + \(b)")
            #expect(abs(ab.score - (cb.x * ca.score + cb.score)) <= tolerance * ab.score, "c_s at \(a) + \(b)")
        }
        // Initial slopes: at a = 1e-9, c_x - 1 and c_s are a h (1 + O(ah)), so their ratio to ah is 1
        // within ah (the next Taylor term is ½(ah)²), plus rounding ε/(ah) in c_x - 1 (c_s has none).
        let a = 1e-9
        #expect(abs((c(a).x - 1) / (a * h) - 1) <= a * h + 2 * eps / (a * h))
        #expect(abs(c(a).score / (a * h) - 1) <= a * h)
    }

    /// The log-SNR variant: with `u ~ U(0, 1)` and `l(u)` the sampler's inverse CDF of the density
    /// `∝ e^l` on `[λ, λ + h]`, `E_u[(e^{λ+h} - e^λ) f(l(u))] = ∫_λ^{λ+h} e^l f(l) dl`.
    @Test(arguments: [(-3.0, 0.2), (0.5, 1.5), (2.0, 0.01)])
    func logSNRMidpointIsUnbiased(lambda: Double, h: Double) {
        let f: (Double) -> Double = { sin($0) + 0.1 * $0 * $0 }
        let weight = exp(lambda + h) - exp(lambda)
        let expectation = integrate01 { u in weight * f(RandomizedMidpoint.logSNRMidpoint(u: u, lambda: lambda, h: h)) }
        let exact = h * integrate01 { v in exp(lambda + v * h) * f(lambda + v * h) }
        #expect(abs(expectation - exact) <= 1e-10 * abs(exact))
    }

    /// The DDIM-variable midpoint: with `u ~ U[0, 1]`, `(ς' - ς) f(ς_m(u))` is unbiased for
    /// `∫_ς^{ς'} f`, checked with the sampler's own midpoint map on a non-polynomial `f`.
    @Test(arguments: [(80.0, 20.0), (1.0, 0.6), (0.05, 0.045)])
    func noiseToSignalMidpointIsUnbiased(from v: Double, to v1: Double) {
        let f: (Double) -> Double = { sin(3 * $0) / (0.1 + $0 * $0) + log1p($0) }
        let expectation = integrate01 { u in (v1 - v) * f(RandomizedMidpoint.noiseToSignalMidpoint(u: u, from: v, to: v1)) }
        let exact = -(v - v1) * integrate01 { w in f(v1 + w * (v - v1)) }
        #expect(abs(expectation - exact) <= 1e-12 * abs(exact))
    }

    /// At equal NFE, the paper's OU-time form `rm-score` (N steps, 2 evaluations each) has a smaller
    /// bias than `ei-ode` (2N steps) on a Gaussian target (``GaussianOutputLaw``). `ei-ode` is
    /// deterministic, so its figure is exact; for `rm-score` the standard error of the averaged moments
    /// is added to its bias before comparing.
    @Test(arguments: [100, 200])
    func rmScoreHasSmallerBiasThanEIODEAtEqualNFE(nfe: Int) throws {
        let (mean, variance) = ([1.5, -1.0], [0.3, 0.08])
        let rm = try GaussianOutputLaw.bias(RandomizedMidpointScoreSampler(), mean: mean, variance: variance,
                                            steps: nfe / 2, particles: 20_000)
        let ei = try GaussianOutputLaw.bias(ExponentialIntegratorODESampler(), mean: mean, variance: variance,
                                            steps: nfe, particles: 20_000)
        #expect(ei.standardError < 1e-12)  // deterministic: every particle has the same (A, b)
        #expect(rm.bias + 5 * rm.standardError < 0.25 * ei.bias,
                "NFE \(nfe): rm-score bias \(rm.bias) ± \(rm.standardError), ei-ode bias \(ei.bias)")
    }

    /// `rm` (DDIM variables) is stable where `rm-score` is not: on a 4-step grid from `T = 8` every
    /// particle's gain `A` on a Gaussian (variance 0.05) stays positive — derived: each step's factor on
    /// `y` is `1 - H ς_m (v + ς ς_m)/((v + ς_m²)(v + ς²))`, in (0, 1) — and within a small factor of the
    /// exact flow's (the 6× bound is a regression guard on the measured 0.35–5.9×, not derived), while the OU-time form's gains spread
    /// over thousands of times it, of both signs (measured −2545…2220; its factor `e^h - h e^{(1-a)h}`
    /// grows like `e^h`).
    @Test func ddimFormGainStaysNearTheExactFlow() throws {
        let variance = 0.05
        let target = try GaussianMixtureTarget(mean: [0], covariance: .diagonal([variance]))
        var options = DiffusionRunOptions(particles: 4096, seed: 3)
        options.cost = .steps(4)
        options.denoise = false
        options.horizon = 8
        // rm-score refuses this grid through DiffusionRun (its steps exceed its stability limit), so both
        // samplers are driven directly on the same grid and noise.
        let grid = try TimeGrid(.ddpmLinear, steps: 4, horizon: 8, earlyStop: DiffusionRunOptions.defaultEarlyStop)
        func gains(_ sampler: any DiffusionSampler) throws -> [Double] {
            var x = Matrix(rows: 4096, columns: 1, repeating: 1)
            let context = SamplingContext(evaluator: ScoreEvaluator(model: target, particles: 4096),
                                          noise: NoiseSource(seed: 3, chunks: RowChunks()))
            try sampler.run(&x, grid: grid, context: context)
            return x.storage  // b = 0 for a zero-mean target, so the output is the gain
        }
        // The exact flow maps x_T to x_δ with gain √(c_δ/c_T), c = α² v + σ².
        let c = { (t: Double) in ForwardProcess.alpha(t) * ForwardProcess.alpha(t) * variance + ForwardProcess.sigmaSquared(t) }
        let exact = (c(DiffusionRunOptions.defaultEarlyStop) / c(8)).squareRoot()
        let rm = try gains(RandomizedMidpointSampler())
        #expect(rm.allSatisfy { $0 > 0 && $0 < 6 * exact }, "rm gains \(rm.min()!)…\(rm.max()!), exact \(exact)")
        let score = try gains(RandomizedMidpointScoreSampler())
        #expect(score.max()! - score.min()! > 1000 * exact, "rm-score gains \(score.min()!)…\(score.max()!)")
    }

    /// `rm` at N steps has a smaller bias than DDIM at 2N steps (equal NFE) on a Gaussian, by more than
    /// its standard error, at budgets people use.
    @Test(arguments: [20, 50, 100])
    func rmBeatsDDIMAtEqualNFE(nfe: Int) throws {
        let (mean, variance) = ([1.5, -1.0], [0.3, 0.08])
        let rm = try GaussianOutputLaw.bias(RandomizedMidpointSampler(), mean: mean, variance: variance,
                                            steps: nfe / 2, particles: 20_000)
        let ddim = try GaussianOutputLaw.bias(DDIMSampler(), mean: mean, variance: variance, steps: nfe, particles: 1)
        #expect(rm.bias + 5 * rm.standardError < ddim.bias,
                "NFE \(nfe): rm bias \(rm.bias) ± \(rm.standardError), ddim bias \(ddim.bias)")
    }
}
