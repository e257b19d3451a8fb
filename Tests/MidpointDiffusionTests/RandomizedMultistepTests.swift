import Foundation
import MidpointDiffusion
import MidpointLinearAlgebra
import MidpointScoreModels
import MidpointTestSupport
import Testing

@Suite struct RandomizedMultistepTests {
    /// The interpolant coefficient integrates its interpolant exactly: for `f` itself linear in `ς`
    /// (or in `ln ς`), `(ς_m - ς) f(s_b) + c (f(s_b) - f(s_a)) = ∫_ς^{ς_m} f`, checked by quadrature.
    @Test(arguments: MultistepInterpolant.allCases)
    func interpolantCoefficientIntegratesTheInterpolant(interpolant: MultistepInterpolant) {
        let f: (Double) -> Double = interpolant == .linear ? { 0.7 - 2.3 * $0 } : { 0.7 - 2.3 * log($0) }
        for (s, sm, sa, sb) in [(1.0, 0.8, 1.4, 1.1), (0.05, 0.049, 0.2, 0.07), (40.0, 30.0, 80.0, 45.0)] {
            let c = interpolant.slopeCoefficient(from: s, to: sm, older: sa, newer: sb)
            let estimate = (sm - s) * f(sb) + c * (f(sb) - f(sa))
            let exact = -Quadrature.gaussLegendre({ f(sm + $0) }, from0to: s - sm, panels: 200)
            #expect(abs(estimate - exact) <= 1e-11 * max(abs(exact), 1e-3), "\(interpolant) at \(s)→\(sm)")
        }
    }

    /// The increment is `φ⁻¹ = (√5 - 1)/2` to the last bit or so: `√5` is correctly rounded, the
    /// subtraction of 1 is exact (Sterbenz) and the halving exact, so the two agree within 1 ulp of 0.618.
    @Test func goldenIncrementIsTheInverseGoldenRatio() {
        let inverse = (5.0.squareRoot() - 1) / 2
        #expect(abs(RandomizedMultistepSampler.goldenIncrement - inverse) <= 0.618.ulp)
        #expect(abs(RandomizedMultistepSampler.goldenIncrement * (1 + RandomizedMultistepSampler.goldenIncrement) - 1) <= 4 * Double.ulpOfOne)
    }

    /// The three-distance theorem (Steinhaus): the first `K` points of `frac(U₀ + kα)` cut the circle
    /// into gaps of at most three lengths, the largest being the sum of the other two — so the
    /// midpoints never bunch up. The sampler does not expose its per-particle `U_k`, so the sequence is
    /// generated here by the recurrence its documentation and its loop use,
    /// `U_k = frac(U_{k-1} + goldenIncrement)` (`truncatingRemainder(dividingBy: 1)`), from several
    /// starts. Each step adds at most ½ ulp of 1 of rounding, so after `K ≤ 300` steps a point is off by
    /// at most `K ε`; gaps of one length then agree within `4 K ε`, far below the separation of the
    /// distinct lengths (≥ 1e-3 for K ≤ 300: they are powers of φ⁻¹ of order 1/K).
    @Test func goldenSequenceHasAtMostThreeGaps() {
        let tolerance = 4 * 300 * Double.ulpOfOne
        for start in [0.0, 0.123, 0.5, 0.999_999] {
            var u = [start]
            for _ in 1..<300 { u.append((u.last! + RandomizedMultistepSampler.goldenIncrement).truncatingRemainder(dividingBy: 1)) }
            for count in [2, 3, 5, 8, 13, 20, 55, 100, 144, 233, 300] {
                let sorted = u.prefix(count).sorted()
                var gaps = zip(sorted.dropFirst(), sorted).map { $0 - $1 }
                gaps.append(1 - sorted.last! + sorted.first!)  // around the circle
                #expect(abs(gaps.reduce(0, +) - 1) <= tolerance)
                var lengths: [Double] = []
                for g in gaps.sorted() where lengths.last.map({ g - $0 > tolerance }) ?? true { lengths.append(g) }
                #expect(lengths.count <= 3, "U₀ = \(start), \(count) points: gap lengths \(lengths)")
                if lengths.count == 3 {
                    #expect(abs(lengths[2] - lengths[0] - lengths[1]) <= 3 * tolerance, "U₀ = \(start), \(count) points: \(lengths)")
                }
                // Distinct lengths are well separated, so the clustering above is unambiguous.
                for (a, b) in zip(lengths.dropFirst(), lengths) { #expect(a - b > 1e-3) }
            }
        }
    }

    /// Bias order 3 on a Gaussian (DPM-Solver++(2M): 2), by the fitted slope of the exact output law's
    /// W2 bias (``GaussianOutputLaw``) against the step count, and below DPM-Solver++(2M) at equal NFE.
    ///
    /// The only Monte Carlo is over each particle's first midpoint `U₀`; with 200,000 particles the
    /// standard error of each bias is checked to be under a tenth of it, so it cannot bend the slope.
    /// rm-ms starts from what a run draws, `N(0, I)` (its first step recovers the prior's mean, below), and
    /// from horizon 8 (`α_T ≈ 3·10⁻⁴`), where what the start still misses, `O(α_T²)`, is far below the
    /// smallest bias; DPM-Solver++(2M) from the exact prior at the same horizon.
    /// Measured: biases 0.0217, 0.0036, 5.1e-4, 6.9e-5 at 16–128 steps, fitted order 2.77; dpmpp-2m 1.76
    /// (0.0243, 0.0095, 0.0026, 6.5e-4).
    @Test func multistepHasBiasOrderThree() throws {
        let (mean, variance) = ([1.0, -2.0, 0.5], [0.5, 1.5, 0.1])
        let steps = [16, 32, 64, 128]
        var rm: [Double] = [], dpm: [Double] = []
        for n in steps {
            let b = try GaussianOutputLaw.bias(RandomizedMultistepSampler(), mean: mean, variance: variance,
                                               steps: n - 1, particles: 200_000, horizon: 8, standardNormalStart: true)
            #expect(b.standardError < 0.1 * b.bias, "\(n) steps: bias \(b.bias) ± \(b.standardError)")
            rm.append(b.bias)
            dpm.append(try GaussianOutputLaw.bias(DPMSolverPP2MSampler(), mean: mean, variance: variance,
                                                  steps: n, particles: 1, horizon: 8).bias)
        }
        let (rmOrder, dpmOrder) = (GaussianOutputLaw.fittedOrder(steps: steps, errors: rm),
                                   GaussianOutputLaw.fittedOrder(steps: steps, errors: dpm))
        #expect(rmOrder > 2.6 && rmOrder < 3.6, "rm-ms order \(rmOrder): \(rm)")
        #expect(abs(dpmOrder - 2) < 0.3, "dpmpp-2m order \(dpmOrder): \(dpm)")
        for (a, b) in zip(rm, dpm) { #expect(a < b, "rm-ms \(rm) vs dpmpp-2m \(dpm)") }
    }

    /// The data-prediction form (`--prediction data`: `x̂₀` against `ρ = α/σ`, midpoints uniform in `ρ`,
    /// interpolant linear in `ln ρ`) integrates the same ODE: its bias on a Gaussian falls with the steps at a
    /// fitted order between 2 and 3 — and stays well above the noise form's, which is why it is not the
    /// default (`docs/algorithms.md` §5.3, "Noise or data prediction"). Same setting and Monte Carlo check as
    /// `multistepHasBiasOrderThree`. Measured: biases 0.195, 0.044, 0.0083, 0.0013 at 16–128 steps, order 2.42;
    /// the noise form's 0.0217 and 5.1e-4 at 16 and 64 steps (9× and 16× smaller).
    @Test func dataPredictionFormConverges() throws {
        let (mean, variance) = ([1.0, -2.0, 0.5], [0.5, 1.5, 0.1])
        let steps = [16, 32, 64, 128]
        var biases: [Double] = []
        for n in steps {
            let b = try GaussianOutputLaw.bias(RandomizedMultistepSampler(prediction: .data), mean: mean, variance: variance,
                                               steps: n - 1, particles: 200_000, horizon: 8, standardNormalStart: true)
            #expect(b.standardError < 0.1 * b.bias, "\(n) steps: bias \(b.bias) ± \(b.standardError)")
            biases.append(b.bias)
        }
        let order = GaussianOutputLaw.fittedOrder(steps: steps, errors: biases)
        #expect(order > 2.1 && order < 2.9, "data-form order \(order): \(biases)")
        for (n, dataBias) in zip([16, 64], [biases[0], biases[2]]) {
            let noise = try GaussianOutputLaw.bias(RandomizedMultistepSampler(), mean: mean, variance: variance,
                                                   steps: n - 1, particles: 200_000, horizon: 8, standardNormalStart: true)
            #expect(dataBias > 4 * noise.bias, "\(n) steps: data form \(dataBias), noise form \(noise.bias)")
        }
    }

    /// The first step treats the `N(0, I)` draw as pure noise (`y₁ = x̂₀ + ς₁ y₀/ς₀`), so the run recovers the
    /// signal `α_T m` that the draw lacks. On `N(m, diag v)` from `N(0, I)` at the default horizon
    /// (`α_T = 1/√6401 ≈ 0.0125`), a start blind to the missing signal keeps a floor of about
    /// `α_T |m_j| √v_j / σ_T` per coordinate (the Gaussian flow carries the start's mean offset `α_T m` to the
    /// data scaled by `√v / √(α_T² v + σ_T²)`) that refinement cannot remove: DDIM at 128 steps sits on it. rm-ms
    /// removes it. From the exact prior `q_T` instead, whose draws already hold the signal, rm-ms counts the
    /// mean twice and lands on the same floor from the other side — the step is for `N(0, I)` starts.
    /// Measured (128 steps, 20,000 particles, floor 0.0713): rm-ms 3.3e-4 from `N(0, I)`, 0.0712 from `q_T`;
    /// DDIM 0.0737 from `N(0, I)`, 0.0218 from `q_T` (its first-order discretization bias).
    @Test func firstStepRecoversThePriorMean() throws {
        let (mean, variance) = ([4.0, -3.0, 2.0], [1.5, 0.5, 1.0])
        let fromNoise = try GaussianOutputLaw.bias(RandomizedMultistepSampler(), mean: mean, variance: variance,
                                                   steps: 128, particles: 20_000, standardNormalStart: true)
        let fromPrior = try GaussianOutputLaw.bias(RandomizedMultistepSampler(), mean: mean, variance: variance,
                                                   steps: 128, particles: 20_000)
        let ddimFromNoise = try GaussianOutputLaw.bias(DDIMSampler(), mean: mean, variance: variance, steps: 128,
                                                       particles: 1, standardNormalStart: true).bias
        let alpha = ForwardProcess.alpha(DiffusionRunOptions.defaultHorizon), sigma = ForwardProcess.sigma(DiffusionRunOptions.defaultHorizon)
        let floor = zip(mean, variance).map { m, v in pow(alpha * m * v.squareRoot() / sigma, 2) }.reduce(0, +).squareRoot()
        #expect(abs(ddimFromNoise - floor) < 0.1 * floor, "ddim from N(0, I) \(ddimFromNoise), floor \(floor)")
        #expect(fromNoise.bias < 0.02 * floor, "rm-ms from N(0, I) \(fromNoise), floor \(floor)")
        #expect(abs(fromPrior.bias - floor) < 0.05 * floor, "rm-ms from q_T \(fromPrior), floor \(floor)")
    }

    /// The early-stop rule `δ(n) = 10^{-3.9 + 14/n}`, clamped to `[10⁻³, 0.1]`, at `n = steps + 1` NFE
    /// (`docs/defaults/early-stop.md`): the values the docs quote, the clamps, the budget from which it is the
    /// floor, and that it never grows with the budget. Without denoising it is every sampler's 10⁻³.
    @Test func earlyStopRuleFallsWithTheBudget() {
        let sampler = RandomizedMultistepSampler()
        let delta = { (nfe: Int) in sampler.defaultEarlyStop(steps: nfe - 1, denoise: true) }
        // 10 NFE is exactly the previous rule's 10^{-2.5}, which keeps the 10-NFE results of before the refit.
        #expect(delta(10) == pow(10, -2.5))
        // Quoted to two significant digits: within half a unit of the last one.
        for (nfe, quoted, halfUnit) in [(5, 0.079, 5e-4), (6, 0.027, 5e-4), (8, 0.0071, 5e-5), (15, 0.0011, 5e-5)] {
            #expect(abs(delta(nfe) - quoted) <= halfUnit, "n = \(nfe): \(delta(nfe)) against \(quoted)")
        }
        #expect(delta(3) == 0.1 && delta(4) == 0.1)
        #expect(delta(15) > DiffusionRunOptions.defaultEarlyStop)
        for nfe in 16...200 { #expect(delta(nfe) == DiffusionRunOptions.defaultEarlyStop) }
        for nfe in 3..<200 { #expect(delta(nfe + 1) <= delta(nfe)) }
        #expect(sampler.defaultEarlyStop(steps: 4, denoise: false) == DiffusionRunOptions.defaultEarlyStop)
    }
}
