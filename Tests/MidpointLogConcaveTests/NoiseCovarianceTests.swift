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
        let psi0: (Double) -> Double = { exp(-gamma * $0) }
        let psi1: (Double) -> Double = { (1 - exp(-gamma * $0)) / gamma }
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
        // The force weights: ψ₂(t) = ∫₀ᵗ ψ₁ and h ψ₁(h - t).
        let c = RandomizedMidpointULMCStep(friction: gamma, step: h, midpoint: a)
        #expect(abs(c.midForce - quadrature(psi1, t)) <= 1e-10 * c.midForce)
        #expect(abs(c.positionForce - h * psi1(h - t)) <= 1e-14 * c.positionForce)
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
