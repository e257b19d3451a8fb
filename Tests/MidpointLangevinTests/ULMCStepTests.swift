import Foundation
import MidpointLangevin
import MidpointRandom
import MidpointTestSupport
import Testing

@Suite struct ULMCStepTests {
    /// ξₓ = √(2γ) ∫₀ʰ ψ₁(h - r) dB_r and ξᵥ = √(2γ) ∫₀ʰ ψ₀(h - r) dB_r, so the covariance entries are
    /// 2γ ∫₀ʰ ψᵢ(u) ψⱼ(u) du. Composite Gauss–Legendre (5 points × 2000 panels) makes the quadrature
    /// error negligible next to the 1e-10 tolerance.
    func quadrature(_ f: (Double) -> Double, _ t: Double) -> Double {
        Quadrature.gaussLegendre(f, from0to: t, panels: 2000)
    }

    @Test(arguments: [(2.0, 1e-4), (2.0, 0.05), (0.5, 1.0), (3.0, 0.3), (10.0, 2.0), (1.0, 7.0)])
    func covarianceMatchesQuadrature(gamma: Double, h: Double) {
        let c = ULMCStep(friction: gamma, step: h)
        let flow = LangevinFlow(friction: gamma)
        let (psi0, psi1) = (flow.psi0, flow.psi1)
        let vx = 2 * gamma * quadrature({ psi1($0) * psi1($0) }, h)
        let vv = 2 * gamma * quadrature({ psi0($0) * psi0($0) }, h)
        let cxv = 2 * gamma * quadrature({ psi0($0) * psi1($0) }, h)
        #expect(abs(c.varianceX - vx) <= 1e-10 * vx)
        #expect(abs(c.varianceV - vv) <= 1e-10 * vv)
        #expect(abs(c.covariance - cxv) <= 1e-10 * cxv)
        // ψ₂ is ∫₀ʰ ψ₁.
        #expect(abs(c.psi2 - quadrature(psi1, h)) <= 1e-10 * c.psi2)
    }

    /// `Σ|terms| / |Σ terms|` of the closed forms the implementation uses from `γh = 0.5` on,
    /// `γ² Var ξₓ = 2x - 3 + 4e^{-x} - e^{-2x}` and `γ² ψ₂ = x - (1 - e^{-x})` (`x = γh`): how many times
    /// their rounding errors are amplified. Below 0.5 the series are used, whose alternating terms
    /// shrink by a factor ≤ 0.4 each, so `Σ|t| ≤ t₀/0.6` against `Σt ≥ 0.6 t₀`: amplification below 3.
    static func cancellation(_ x: Double) -> (varianceX: Double, psi2: Double) {
        guard x >= 0.5 else { return (3, 3) }
        return ((2 * x + 3 + 4 * exp(-x) + exp(-2 * x)) / (2 * x - 3 + 4 * exp(-x) - exp(-2 * x)),
                (x - expm1(-x)) / (x + expm1(-x)))
    }

    /// For tiny γh the closed forms cancel; the series keep full precision: Var ξₓ ≈ ⅔γh³, Cov ≈ γh²,
    /// Var ξᵥ ≈ 2γh. For huge γh the noise tends to (Var ξₓ, Cov, Var ξᵥ) ≈ ((2γh - 3)/γ², 1/γ, 1).
    ///
    /// `L₂₂² = det/Var ξₓ` is the velocity noise left once the position noise is known. The Gram
    /// determinant of the kernels `ψ₁, ψ₀` is `det = 2γ²·½∫∫(ψ₁(u)ψ₀(w) - ψ₀(u)ψ₁(w))² du dw
    /// = 2∫∫(e^{-γw} - e^{-γu})²`, in closed form `γ² det = 2x(1 - e^{-2x}) - 4(1 - e^{-x})²` — a
    /// formula independent of the implementation's (it expands to `Var ξₓ Var ξᵥ - Cov²`). Checked:
    /// - `x ≤ 0.1` by its series `L₂₂² = x/2 - x²/8 + 7x³/480 + x⁴/1920 - 107x⁵/268800 + …` (sympy), so
    ///   `L₂₂ ≈ √(γh/2)`; the truncation is below `x⁴/1000` relative, and the implementation's
    ///   `Var ξᵥ - L₂₁²` cancels only 2x - 1.5x (×7), so rounding stays below 32ε;
    /// - `0.1 ≤ x ≤ 10` by the closed form, whose two terms cancel by `R = (A + B)/(A - B)` (≈ 1200 at
    ///   x = 0.1): tolerance `4ε(R + amplification of Var ξₓ + 8)` relative;
    /// - `x ≥ 100`: `L₂₂² = (2x - 4)/(2x - 3) + O(x e^{-x})` → 1, with `e^{-100}` far below 16ε.
    ///
    /// And `ψ₁² + Var ξₓ = 2ψ₂` (the position variance after a step from a fresh `v ~ N(0, 1)`; it
    /// expands to `2x - 2 + 2e^{-x}` over γ²): all terms positive, so relative errors add — ψ₁ ≤ 2ε,
    /// squared and summed 6ε, the closed forms' amplified 2ε·(amplification) — `2ε(K_V + K_ψ₂ + 8)`.
    @Test(arguments: [1e-12, 1e-8, 1e-5, 1e-3, 0.1, 0.49, 0.51, 1, 10, 1e3, 1e6])
    func choleskyIsValidForTinyAndHugeSteps(x: Double) {
        let gamma = 2.0, eps = Double.ulpOfOne
        let c = ULMCStep(friction: gamma, step: x / gamma)
        for v in [c.l11, c.l21, c.l22, c.varianceX, c.varianceV, c.covariance, c.psi2] { #expect(v.isFinite) }
        #expect(c.l11 > 0 && c.l22 > 0, "γh = \(x)")
        let l22Squared = c.l22 * c.l22
        if x <= 0.1 {
            let series = x / 2 - x * x / 8 + 7 * x * x * x / 480 + x * x * x * x / 1920
            #expect(abs(l22Squared / series - 1) <= x * x * x * x / 1000 + 32 * eps, "γh = \(x): L₂₂² \(l22Squared) vs \(series)")
        }
        if x >= 0.1 && x <= 10 {
            let (a, b) = (x * -expm1(-2 * x), 2 * expm1(-x) * expm1(-x))
            let det = 2 * (a - b) / (gamma * gamma)
            let tolerance = 4 * eps * ((a + b) / (a - b) + Self.cancellation(x).varianceX + 8)
            #expect(abs(l22Squared / (det / c.varianceX) - 1) <= tolerance, "γh = \(x)")
        }
        if x >= 100 {
            #expect(abs(l22Squared - (2 * x - 4) / (2 * x - 3)) <= 16 * eps, "γh = \(x)")
        }
        let k = Self.cancellation(x)
        let fresh = c.psi1 * c.psi1 + c.varianceX
        #expect(abs(fresh / (2 * c.psi2) - 1) <= 2 * eps * (k.varianceX + k.psi2 + 8), "γh = \(x)")
        if x < 1e-4 {
            #expect(abs(c.varianceX / (2.0 / 3 * x * x * x / (gamma * gamma)) - 1) < 2 * x)
            #expect(abs(c.covariance / (x * x / gamma) - 1) < 2 * x)
            #expect(abs(c.psi2 / (x * x / 2 / (gamma * gamma)) - 1) < x)
        }
        if x > 100 {
            #expect(abs(c.varianceX - (2 * x - 3) / (gamma * gamma)) <= 1e-12 * c.varianceX)
            #expect(abs(c.varianceV - 1) < 1e-12)
        }
    }

    /// The series branch (γh < 0.5) and the closed form agree where they meet. The two steps differ
    /// by Δ = 2e-12, and both functions grow no faster than x³ there (|f'/f| ≤ 3/x = 6), so they may
    /// differ by at most 6Δ = 1.2e-11 relative, plus rounding.
    @Test func branchesAgreeAtTheSwitch() {
        let below = ULMCStep(friction: 1, step: 0.5 - 1e-12), above = ULMCStep(friction: 1, step: 0.5 + 1e-12)
        #expect(abs(below.varianceX - above.varianceX) < 1.3e-11 * above.varianceX)
        #expect(abs(below.psi2 - above.psi2) < 1.3e-11 * above.psi2)
    }

    /// A one-step correction from a fresh velocity, velocity discarded, is drawn as
    /// `x' = x + ψ₂ g + √(ψ₁² + Var ξₓ) ζ`; the full step `x + ψ₁ v + ψ₂ g + L₁₁ z₁` with `v` fresh has
    /// the same Gaussian law. Both fused kernels are run on n = 200,000 coordinates (x = 0, g = 1.3) and
    /// their mean and variance compared with `ψ₂ g` and `s² = ψ₁² + Var ξₓ`. Standard errors:
    /// mean s/√n, variance s²√(2/n) (Gaussian fourth moment); the tolerance is 5 standard errors, which a
    /// correct kernel exceeds with probability below 1e-6 per check (fixed seed, so deterministic).
    @Test(arguments: [(1.0, 0.3), (4.0, 0.05), (0.5, 2.0)])
    func freshVelocityStepHasTheFullStepsLaw(gamma: Double, h: Double) {
        let c = ULMCStep(friction: gamma, step: h)
        let n = 200_000
        func normals(_ slot: Int) -> [Double] {
            var z = [Double](repeating: 0, count: n)
            z.withUnsafeMutableBufferPointer { RandomStream(seed: 11, particle: 0, step: 0, slot: slot).fillNormal($0.baseAddress!, count: n) }
            return z
        }
        let g = [Double](repeating: 1.3, count: n)
        var full = [Double](repeating: 0, count: n), collapsed = full
        var v = normals(1)
        let (z1, z2, zeta) = (normals(2), normals(3), normals(4))
        full.withUnsafeMutableBufferPointer { x in
            v.withUnsafeMutableBufferPointer { vp in
                c.apply(x: x.baseAddress!, v: vp.baseAddress!, force: g, z1: z1, z2: z2, count: n)
            }
        }
        let finite = collapsed.withUnsafeMutableBufferPointer { x in
            c.applyFromFreshVelocity(x: x.baseAddress!, force: g, zeta: zeta, count: n)
        }
        #expect(finite)
        let scale = c.freshVelocityPositionScale
        // s² = ψ₁² + Var ξₓ = 2ψ₂ (see choleskyIsValidForTinyAndHugeSteps for the identity and the
        // rounding bound; squaring the square root adds 2ε).
        let k = ULMCStepTests.cancellation(gamma * h)
        #expect(abs(scale * scale / (2 * c.psi2) - 1) <= 2 * Double.ulpOfOne * (k.varianceX + k.psi2 + 9))
        for sample in [full, collapsed] {
            let mean = sample.reduce(0, +) / Double(n)
            let variance = sample.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            #expect(abs(mean - c.psi2 * 1.3) <= 5 * scale / Double(n).squareRoot())
            #expect(abs(variance - scale * scale) <= 5 * scale * scale * (2 / Double(n)).squareRoot())
        }
    }

    /// The fused kernel reports a non-finite result instead of hiding it.
    @Test func freshVelocityStepReportsNonFiniteResults() {
        let c = ULMCStep(friction: 1, step: 0.1)
        for bad in [Double.nan, .infinity] {
            for position in [0, 5, 6] {
                var x = [Double](repeating: 0, count: 7)
                var g = x
                g[position] = bad
                let finite = x.withUnsafeMutableBufferPointer { c.applyFromFreshVelocity(x: $0.baseAddress!, force: g, zeta: g, count: 7) }
                #expect(!finite)
            }
        }
    }

    /// One source per formula: the exponential integrator's weights are ``LangevinFlow``'s, bit for bit,
    /// and its noise (``LangevinNoiseCovariance/exponentialStepNoise(_:)``, the closed forms the ULMC runs
    /// were recorded with) is the general noise covariance at `s = t = h` to rounding; both sides keep
    /// full relative precision (series below `γh = 0.5`, the closed forms amplify rounding ≤ 120 times above).
    @Test(arguments: [1e-12, 1e-6, 1e-3, 0.1, 0.49, 0.5, 0.51, 1, 10, 1e3])
    func weightsAndNoiseComeFromTheFlowAndTheCovariance(x: Double) {
        let gamma = 1.7, h = x / 1.7
        let c = ULMCStep(friction: gamma, step: h)
        let flow = LangevinFlow(friction: gamma), noise = LangevinNoiseCovariance(friction: gamma)
        #expect(c.psi0 == flow.psi0(h) && c.psi1 == flow.psi1(h) && c.psi2 == flow.psi2(h), "γh = \(x)")
        for (got, want) in [(c.varianceX, noise.noisePosition(h, h)), (c.covariance, noise.noisePositionVelocity(h, h)),
                            (c.varianceV, noise.noiseVelocity(h))] {
            #expect(abs(got / want - 1) <= 1e-12, "γh = \(x): \(got) vs \(want)")
        }
    }
}
