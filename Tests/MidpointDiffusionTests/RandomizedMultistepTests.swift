import Foundation
import MidpointDiffusion
import MidpointLinearAlgebra
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
    /// Measured: biases 0.0216, 0.0035, 5.2e-4, 6.6e-5 at 16–128 steps, local slopes 2.6, 2.8, 3.0 rising
    /// to 3 as the steps shrink, fitted 2.78; dpmpp-2m 1.76 (local slopes 1.3, 1.9, 2.0).
    @Test func multistepHasBiasOrderThree() throws {
        let (mean, variance) = ([1.0, -2.0, 0.5], [0.5, 1.5, 0.1])
        let steps = [16, 32, 64, 128]
        var rm: [Double] = [], dpm: [Double] = []
        for n in steps {
            let b = try GaussianOutputLaw.bias(RandomizedMultistepSampler(), mean: mean, variance: variance,
                                               steps: n - 1, particles: 200_000)
            #expect(b.standardError < 0.1 * b.bias, "\(n) steps: bias \(b.bias) ± \(b.standardError)")
            rm.append(b.bias)
            dpm.append(try GaussianOutputLaw.bias(DPMSolverPP2MSampler(), mean: mean, variance: variance,
                                                  steps: n, particles: 1).bias)
        }
        let (rmOrder, dpmOrder) = (GaussianOutputLaw.fittedOrder(steps: steps, errors: rm),
                                   GaussianOutputLaw.fittedOrder(steps: steps, errors: dpm))
        #expect(rmOrder > 2.6 && rmOrder < 3.6, "rm-ms order \(rmOrder): \(rm)")
        #expect(abs(dpmOrder - 2) < 0.3, "dpmpp-2m order \(dpmOrder): \(dpm)")
        for (a, b) in zip(rm, dpm) { #expect(a < b, "rm-ms \(rm) vs dpmpp-2m \(dpm)") }
    }
}
