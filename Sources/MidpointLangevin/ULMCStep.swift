import Foundation
import MidpointLinearAlgebra

/// The coefficients of one exponential-integrator step of underdamped Langevin dynamics
/// `dx = v dt`, `dv = -γ v dt + g(x) dt + √(2γ) dB` with the force frozen at the start:
///
/// ```
/// x' = x + ψ₁(h) v + ψ₂(h) g(x) + ξₓ
/// v' = ψ₀(h) v + ψ₁(h) g(x) + ξᵥ
/// ψ₀ = e^{-γh},  ψ₁ = (1 - e^{-γh})/γ,  ψ₂ = (γh - 1 + e^{-γh})/γ²
/// Var ξₓ = (2γh - 3 + 4e^{-γh} - e^{-2γh})/γ²,  Var ξᵥ = 1 - e^{-2γh},  Cov = (1 - e^{-γh})²/γ
/// ```
///
/// The noise is drawn per coordinate as `ξₓ = L₁₁ z₁`, `ξᵥ = L₂₁ z₁ + L₂₂ z₂` (the 2×2 Cholesky
/// factor). The weights come from ``LangevinFlow`` and the noise from ``LangevinNoiseCovariance``, where
/// for small `γh` (the closed forms cancel catastrophically, `Var ξₓ ≈ ⅔ γ h³`) `ψ₂` and `Var ξₓ` switch
/// to their Taylor series below `γh = 0.5`; every coefficient keeps full relative precision from
/// `γh = 1e-12` to `1e6`.
public struct ULMCStep: Sendable, Equatable {
    /// `e^{-γh}`.
    public let psi0: Double
    /// `(1 - e^{-γh})/γ`.
    public let psi1: Double
    /// `(γh - 1 + e^{-γh})/γ²`.
    public let psi2: Double
    /// `Var ξₓ`.
    public let varianceX: Double
    /// `Var ξᵥ`.
    public let varianceV: Double
    /// `Cov(ξₓ, ξᵥ)`.
    public let covariance: Double
    /// Cholesky factor entries `L₁₁, L₂₁, L₂₂`.
    public let l11: Double, l21: Double, l22: Double

    /// Coefficients for friction `gamma > 0` and step `h > 0`: the weights from ``LangevinFlow``, the
    /// noise from ``LangevinNoiseCovariance/exponentialStepNoise(_:)``.
    public init(friction gamma: Double, step h: Double) {
        precondition(gamma > 0 && h > 0 && gamma.isFinite && h.isFinite, "need finite γ > 0 and h > 0")
        let flow = LangevinFlow(friction: gamma)
        psi0 = flow.psi0(h)
        psi1 = flow.psi1(h)
        psi2 = flow.psi2(h)
        (varianceX, covariance, varianceV) = LangevinNoiseCovariance(friction: gamma).exponentialStepNoise(h)
        l11 = varianceX.squareRoot()
        l21 = covariance / l11
        l22 = max(varianceV - l21 * l21, 0).squareRoot()
    }
}

extension ULMCStep {
    /// One step over `count` coordinates in one fused pass, in place:
    /// `x ← x + ψ₁ v + ψ₂ g + L₁₁ z₁`, `v ← ψ₀ v + ψ₁ g + L₂₁ z₁ + L₂₂ z₂`, with `g` the force at the
    /// old `x` and `z₁, z₂` independent standard normals.
    @inlinable
    public func apply(x: UnsafeMutablePointer<Double>, v: UnsafeMutablePointer<Double>, force g: UnsafePointer<Double>,
                      z1: UnsafePointer<Double>, z2: UnsafePointer<Double>, count: Int) {
        for k in 0..<count {
            let (vk, gk, ak) = (v[k], g[k], z1[k])
            x[k] += psi1 * vk + psi2 * gk + l11 * ak
            v[k] = psi0 * vk + psi1 * gk + l21 * ak + l22 * z2[k]
        }
    }
}

extension ULMCStep {
    /// Standard deviation of `x'` given `x` when `v ~ N(0, I)` is drawn fresh and independent of the
    /// step's noise: `√(ψ₁² + Var ξₓ)`. With it one step from a fresh velocity whose end velocity is
    /// discarded is `x' = x + ψ₂ g + √(ψ₁² + Var ξₓ) ζ`, one normal per coordinate instead of three,
    /// exactly the same law.
    public var freshVelocityPositionScale: Double { (psi1 * psi1 + varianceX).squareRoot() }

    /// The position half of ``apply(x:v:force:z1:z2:count:)``, `x ← x + ψ₁ v + ψ₂ g + L₁₁ z₁`, for
    /// a last step whose velocity is not used afterwards (so `z₂` is not needed).
    @inlinable
    public func applyPosition(x: UnsafeMutablePointer<Double>, v: UnsafePointer<Double>, force g: UnsafePointer<Double>,
                              z1: UnsafePointer<Double>, count: Int) {
        for k in 0..<count { x[k] += psi1 * v[k] + psi2 * g[k] + l11 * z1[k] }
    }

    /// One step from a fresh velocity, velocity discarded: `x ← x + ψ₂ g + √(ψ₁² + Var ξₓ) ζ`
    /// (``freshVelocityPositionScale``), with `ζ` standard normal. Returns whether every new `x` is
    /// finite (checked in the same pass).
    @discardableResult
    public func applyFromFreshVelocity(x: UnsafeMutablePointer<Double>, force g: UnsafePointer<Double>,
                                       zeta: UnsafePointer<Double>, count: Int) -> Bool {
        VectorKernels.addTwoScaled(x, psi2, g, freshVelocityPositionScale, zeta, count: count)
    }
}
