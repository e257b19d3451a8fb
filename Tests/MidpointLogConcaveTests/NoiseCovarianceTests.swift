import Foundation
import MidpointLangevin
import MidpointTestSupport
import Testing

/// The closed-form noise covariances of randomized-midpoint ULMC against numerical quadrature.
@Suite struct NoiseCovarianceTests {
    /// Composite 5-point Gauss–Legendre on [0, t] with 4000 panels: far below the 1e-10 tolerance for
    /// these smooth integrands.
    func quadrature(_ f: (Double) -> Double, _ t: Double) -> Double {
        Quadrature.gaussLegendre(f, from0to: t, panels: 4000)
    }

    /// `2γ Cov(W₁, W₂, W₃)` entries are `2γ ∫ kernelᵢ kernelⱼ` over the shared path: `W₁` has kernel
    /// `ψ₁(t - r)` on `[0, t]`, `W₂` `ψ₁(h - r)`, `W₃` `ψ₀(h - r)` on `[0, h]`.
    @Test(arguments: [(2.0, 0.1, 0.3), (2.0, 0.1, 0.97), (0.5, 1.0, 0.5), (10.0, 2.0, 0.05), (1.0, 7.0, 0.8), (3.0, 0.01, 0.5)])
    func covarianceMatchesQuadrature(gamma: Double, h: Double, a: Double) {
        let t = a * h
        let flow = LangevinFlow(friction: gamma)
        let (psi0, psi1) = (flow.psi0, flow.psi1)
        let s = 2 * gamma
        let expected = [
            s * quadrature({ psi1(t - $0) * psi1(t - $0) }, t),
            s * quadrature({ psi1(t - $0) * psi1(h - $0) }, t),
            s * quadrature({ psi1(t - $0) * psi0(h - $0) }, t),
            s * quadrature({ psi1(h - $0) * psi1(h - $0) }, h),
            s * quadrature({ psi1(h - $0) * psi0(h - $0) }, h),
            s * quadrature({ psi0(h - $0) * psi0(h - $0) }, h),
        ]
        let got = RandomizedMidpointULMCStep.covariance(friction: gamma, step: h, midpoint: a)
        for (g, e) in zip(got, expected) { #expect(abs(g - e) <= 1e-10 * abs(e), "\(g) vs \(e)") }
        // The midpoint's force weight: ψ₂(t) = ∫₀ᵗ ψ₁.
        let c = RandomizedMidpointULMCStep(friction: gamma, step: h, midpoint: a)
        #expect(abs(c.midForce - quadrature(psi1, t)) <= 1e-10 * c.midForce)
    }

    /// The midpoint force terms are unbiased: averaged over `a ~ U[0, 1]`, the new position's weight
    /// `positionForce(a)` is the exact flow's `ψ₂(h) = ∫₀ʰ ψ₁` and the new velocity's `velocityForce(a)`
    /// is `ψ₁(h) = ∫₀ʰ ψ₀` — compared with ``ULMCStep``'s own `ψ₂` and `ψ₁` (a different code path:
    /// its series / closed forms). The average is the shared Gauss–Legendre rule (5 points × 400 panels)
    /// over `a`; its truncation error is below 1e-20 for these exponentials (derivatives ≤ (γh)ᵏ,
    /// γh ≤ 20). The 2000 positive terms add at most 2000ε of rounding, `ψ₂`'s closed form at most 4ε
    /// times its cancellation `(x - e)/(x + e)`, `e = expm1(-x)` (≤ 8.3, at x = 0.5): 2100ε relative.
    @Test(arguments: [(2.0, 0.1), (0.5, 1.0), (10.0, 2.0), (1.0, 7.0), (3.0, 0.01), (1.0, 0.5)])
    func midpointForceWeightsAreUnbiased(gamma: Double, h: Double) {
        let exact = ULMCStep(friction: gamma, step: h)
        let average = { (weight: (RandomizedMidpointULMCStep) -> Double) in
            Quadrature.gaussLegendre({ a in weight(RandomizedMidpointULMCStep(friction: gamma, step: h, midpoint: a)) },
                                     from0to: 1, panels: 400)
        }
        let tolerance = 2100 * Double.ulpOfOne
        let position = average { $0.positionForce }, velocity = average { $0.velocityForce }
        #expect(abs(position / exact.psi2 - 1) <= tolerance, "γ = \(gamma), h = \(h): \(position) vs ψ₂ = \(exact.psi2)")
        #expect(abs(velocity / exact.psi1 - 1) <= tolerance, "γ = \(gamma), h = \(h): \(velocity) vs ψ₁ = \(exact.psi1)")
    }

    /// The Cholesky factor reproduces every covariance entry relative to `√(Cᵢᵢ Cⱼⱼ)` and is free of NaN
    /// for tiny and huge `γh` and midpoints at the ends of [0, 1], where the covariance is singular or
    /// nearly so. Tolerance 1e-12, except at `a = 1 - 1e-9`: there `W₂ - W₁` has a variance about
    /// `(1e-9)²` of `Var W₂`, below what `C₂₂ - L₂₁²` resolves in double precision (1e-16), so any
    /// factorization loses that direction and the entries coupled to it carry an error up to the lost
    /// factor's size, `1e-9·√(CᵢᵢCⱼⱼ)`; that case gets 1e-8, for `γh ≤ 100`. Known limit: at `γh ≥ 1e4`
    /// that direction is resolvable but only to a few digits, and the velocity entries are reproduced
    /// to about 1e-5 (a midpoint within 1e-9 of the step's end occurs with probability 1e-9 per draw,
    /// and the default `γh` is 1).
    @Test(arguments: [1e-10, 1e-6, 1e-3, 0.1, 0.49, 0.51, 3, 100, 1e4, 1e6])
    func choleskyIsValidForTinyAndHugeSteps(gammaH: Double) {
        for a in gammaH <= 100 ? [0.0, 1e-12, 1e-6, 0.5, 1 - 1e-9, 1.0] : [0.0, 1e-12, 1e-6, 0.5, 1.0] {
            let c = RandomizedMidpointULMCStep(friction: 1, step: gammaH, midpoint: a)
            let l = c.factor
            let m = RandomizedMidpointULMCStep.covariance(friction: 1, step: gammaH, midpoint: a)
            let entries = [l.0, l.1, l.2, l.3, l.4, l.5]
            let finite = entries.allSatisfy { $0.isFinite }
            #expect(finite, "γh = \(gammaH), a = \(a): \(entries)")
            let rebuilt = [l.0 * l.0, l.0 * l.1, l.0 * l.3, l.1 * l.1 + l.2 * l.2, l.1 * l.3 + l.2 * l.4,
                           l.3 * l.3 + l.4 * l.4 + l.5 * l.5]
            let diagonal = [m[0], m[3], m[5]]
            let pairs = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]
            for ((r, e), (i, j)) in zip(zip(rebuilt, m), pairs) {
                let tolerance = a == 1 - 1e-9 ? 1e-8 : 1e-12
                #expect(abs(r - e) <= tolerance * (diagonal[i] * diagonal[j]).squareRoot(), "γh = \(gammaH), a = \(a): \(r) vs \(e)")
            }
        }
        // Series and closed forms agree across the switch at 0.5: the two sides differ by the slope
        // (D' = (1 - e^{-x})², D₁' = 1 - e^{-x}) times the 2e-12 gap, to rounding.
        let below = LangevinNoiseCovariance.d(0.5 - 1e-12), above = LangevinNoiseCovariance.d(0.5 + 1e-12)
        let slope = (1 - exp(-0.5)) * (1 - exp(-0.5))
        #expect(abs(above - below - slope * 2e-12) <= 1e-14 * above)
        let below1 = LangevinNoiseCovariance.d1(0.5 - 1e-12), above1 = LangevinNoiseCovariance.d1(0.5 + 1e-12)
        #expect(abs(above1 - below1 - (1 - exp(-0.5)) * 2e-12) <= 1e-14 * above1)
        // Tiny arguments: D(x) ≈ x³/3, D₁(x) ≈ x²/2.
        #expect(abs(LangevinNoiseCovariance.d(1e-8) / (1e-24 / 3) - 1) < 1e-7)
        #expect(abs(LangevinNoiseCovariance.d1(1e-8) / (1e-16 / 2) - 1) < 1e-7)
    }
}
