import Foundation

/// The coefficients of one randomized-midpoint ULMC step (Shen & Lee 2019, general friction;
/// `docs/algorithms.md` §6) for friction `γ`, step `h` and midpoint fraction `a`, `t = a h`:
///
/// ```
/// x_mid = x + ψ₁(t) v + ψ₂(t) g(x)              + √(2γ) W₁
/// x'    = x + ψ₁(h) v + h ψ₁(h - t) g(x_mid)     + √(2γ) W₂
/// v'    = ψ₀(h) v     + h ψ₀(h - t) g(x_mid)     + √(2γ) W₃
/// W₁ = P(t), W₂ = P(h), W₃ = V(h)   (one Brownian path; ``LangevinNoiseCovariance``)
/// ```
///
/// The force terms are unbiased: averaged over `a ~ U[0, 1]`, `h ψ₁(h - ah) g` is `∫₀ʰ ψ₁(h - r) g dr`
/// for a constant force, and likewise for the velocity. The noise is drawn per coordinate as
/// `L z` with `L` the lower Cholesky factor of `2γ Cov(W₁, W₂, W₃)` and `z` three independent
/// standard normals (``SemidefiniteCholesky``: `Cov` is singular as `a → 0`).
public struct RandomizedMidpointULMCStep: Sendable {
    /// `ψ₁(t)` and `ψ₂(t)`: the midpoint's velocity and force weights.
    public let midVelocity: Double, midForce: Double
    /// `ψ₁(h)` and `h ψ₁(h - t)`: the new position's velocity and midpoint-force weights.
    public let positionVelocity: Double, positionForce: Double
    /// `ψ₀(h)` and `h ψ₀(h - t)`: the new velocity's velocity and midpoint-force weights.
    public let velocityVelocity: Double, velocityForce: Double
    /// Lower Cholesky factor of the noise covariance, row-major: `(L₁₁, L₂₁, L₂₂, L₃₁, L₃₂, L₃₃)`.
    public let factor: (Double, Double, Double, Double, Double, Double)

    /// The coefficients for friction `gamma > 0`, step `h > 0` and midpoint fraction `a ∈ [0, 1]`.
    public init(friction gamma: Double, step h: Double, midpoint a: Double) {
        precondition(gamma.isFinite && gamma > 0 && h.isFinite && h > 0, "need finite γ > 0 and h > 0")
        precondition(a >= 0 && a <= 1, "midpoint fraction must lie in [0, 1], got \(a)")
        let t = a * h
        let flow = LangevinFlow(friction: gamma)
        midVelocity = flow.psi1(t)
        midForce = flow.psi2(t)
        positionVelocity = flow.psi1(h)
        positionForce = h * flow.psi1(h - t)
        velocityVelocity = flow.psi0(h)
        velocityForce = h * flow.psi0(h - t)
        // A stack buffer and no arrays: this runs once per chain and step.
        factor = withUnsafeTemporaryAllocation(of: Double.self, capacity: 9) { m in
            let c = Self.noise(friction: gamma, step: h, midpoint: a)
            (m[0], m[1], m[2]) = (c.0, c.1, c.2)
            (m[3], m[4], m[5]) = (c.1, c.3, c.4)
            (m[6], m[7], m[8]) = (c.2, c.4, c.5)
            SemidefiniteCholesky.factor(m, n: 3)
            return (m[0], m[3], m[4], m[6], m[7], m[8])
        }
    }

    /// The noise covariance `2γ Cov(W₁, W₂, W₃)` as its upper triangle
    /// `(C₁₁, C₁₂, C₁₃, C₂₂, C₂₃, C₃₃)`.
    public static func covariance(friction gamma: Double, step h: Double, midpoint a: Double) -> [Double] {
        let c = noise(friction: gamma, step: h, midpoint: a)
        return [c.0, c.1, c.2, c.3, c.4, c.5]
    }

    /// ``covariance(friction:step:midpoint:)`` as a tuple (no allocation).
    static func noise(friction gamma: Double, step h: Double, midpoint a: Double)
        -> (Double, Double, Double, Double, Double, Double) {
        let n = LangevinNoiseCovariance(friction: gamma)
        let t = a * h
        return (n.noisePosition(t, t), n.noisePosition(t, h), n.noisePositionVelocity(t, h),
                n.noisePosition(h, h), n.noisePositionVelocity(h, h), n.noiseVelocity(h))
    }
}
