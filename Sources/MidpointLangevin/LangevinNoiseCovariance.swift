import Foundation

/// Covariances of the Gaussian integrals that drive underdamped Langevin dynamics with friction `γ`
/// over one interval `[0, h]`, per coordinate and for one Brownian path `B`:
///
/// ```
/// P(t) = ∫₀ᵗ ψ₁(t - r) dB_r   (position type, 0 ≤ t ≤ h),    V(h) = ∫₀ʰ ψ₀(h - r) dB_r
/// ψ₀(u) = e^{-γu},  ψ₁(u) = (1 - e^{-γu})/γ
/// ```
///
/// With `x = γs`, `D(x) = ∫₀ˣ (1 - e^{-w})² dw = x - 2(1 - e^{-x}) + ½(1 - e^{-2x})`:
///
/// ```
/// Cov(P(s), P(t)) = [D(γs) + (1 - e^{-γ(t-s)}) · ½(1 - e^{-γs})²] / γ³      (s ≤ t)
/// Cov(P(s), V(h)) = e^{-γ(h-s)} · ½(1 - e^{-γs})² / γ²
/// Var V(h)        = (1 - e^{-2γh}) / (2γ)
/// ```
///
/// Every term is a sum of non-negative parts computed with `expm1`, and `D` switches to its Taylor
/// series `Σₙ≥₃ (-1)ⁿ (2 - 2ⁿ⁻¹) xⁿ/n!` below `x = 0.5` (the closed form cancels like `x³/3`), so the
/// entries keep full relative precision from `γt = 1e-12` to `1e6`. The ULMC and randomized-midpoint
/// ULMC noises are `√(2γ)` times these integrals: their covariances are the `noise…` methods below, the
/// one place every Langevin integrator takes them from (``ULMCStep``, ``RandomizedMidpointULMCStep``, the
/// parallel randomized-midpoint ULMC).
public struct LangevinNoiseCovariance: Sendable, Equatable {
    /// The friction `γ > 0`.
    public let gamma: Double

    /// The covariances for friction `gamma` (finite, > 0).
    public init(friction gamma: Double) {
        precondition(gamma.isFinite && gamma > 0, "need finite γ > 0, got \(gamma)")
        self.gamma = gamma
    }

    /// `D(x) = ∫₀ˣ (1 - e^{-w})² dw`.
    public static func d(_ x: Double) -> Double {
        if x < 0.5 {
            // Terms (-1)ⁿ (2 - 2ⁿ⁻¹) xⁿ/n! for n = 3 … 25; at x = 0.5 the last is below 1e-19 of the sum.
            var sum = 0.0
            var power = x * x * x / 6  // xⁿ/n! at n = 3
            var twoPower = 4.0          // 2ⁿ⁻¹
            var sign = -1.0
            for n in 3...25 {
                sum += sign * (2 - twoPower) * power
                power *= x / Double(n + 1)
                twoPower *= 2
                sign = -sign
            }
            return sum
        }
        return x + 2 * expm1(-x) - 0.5 * expm1(-2 * x)
    }

    /// `D₁(x) = ∫₀ˣ (1 - e^{-w}) dw = x - (1 - e^{-x})`, so that `ψ₂(t) = D₁(γt)/γ²`; the series
    /// `Σₙ≥₂ (-1)ⁿ xⁿ/n!` below `x = 0.5`, where the closed form cancels like `x²/2`.
    public static func d1(_ x: Double) -> Double {
        if x < 0.5 {
            var sum = 0.0
            var power = x * x / 2  // xⁿ/n! at n = 2
            var sign = 1.0
            for n in 2...24 {
                sum += sign * power
                power *= x / Double(n + 1)
                sign = -sign
            }
            return sum
        }
        return x + expm1(-x)
    }

    /// `Cov(P(s), P(t))`; the arguments may come in either order.
    public func position(_ s: Double, _ t: Double) -> Double {
        let (lo, hi) = (min(s, t), max(s, t))
        precondition(lo >= 0, "times must be ≥ 0")
        let e = expm1(-gamma * lo)
        return (Self.d(gamma * lo) + -expm1(-gamma * (hi - lo)) * 0.5 * e * e) / (gamma * gamma * gamma)
    }

    /// `Cov(P(s), V(h))` for `0 ≤ s ≤ h`.
    public func positionVelocity(_ s: Double, _ h: Double) -> Double {
        precondition(s >= 0 && s <= h, "need 0 ≤ s ≤ h")
        let e = expm1(-gamma * s)
        return exp(-gamma * (h - s)) * 0.5 * e * e / (gamma * gamma)
    }

    /// `Var V(h)`.
    public func velocity(_ h: Double) -> Double {
        -expm1(-2 * gamma * h) / (2 * gamma)
    }

    /// `2γ Cov(P(s), P(t))`: the covariance of the position noises `√(2γ) P(s)`, `√(2γ) P(t)` of a
    /// Langevin path with friction `γ` (the arguments may come in either order).
    public func noisePosition(_ s: Double, _ t: Double) -> Double { 2 * gamma * position(s, t) }

    /// `2γ Cov(P(s), V(h))` for `0 ≤ s ≤ h`: position noise at `s` against the velocity noise at `h`.
    public func noisePositionVelocity(_ s: Double, _ h: Double) -> Double { 2 * gamma * positionVelocity(s, h) }

    /// `2γ Var V(h) = 1 - e^{-2γh}`: the velocity noise's variance after a time `h`.
    public func noiseVelocity(_ h: Double) -> Double { 2 * gamma * velocity(h) }

    /// The noise of one exponential-integrator ULMC step of length `h` (``ULMCStep``):
    ///
    /// ```
    /// Var ξₓ = 2γ Var P(h)        = (2γh - 3 + 4e^{-γh} - e^{-2γh})/γ²
    /// Cov    = 2γ Cov(P(h), V(h)) = (1 - e^{-γh})²/γ
    /// Var ξᵥ = 2γ Var V(h)        = 1 - e^{-2γh}
    /// ```
    ///
    /// These are ``noisePosition(_:_:)``, ``noisePositionVelocity(_:_:)`` and ``noiseVelocity(_:)`` at
    /// `s = t = h`, evaluated by the closed forms the ULMC sampler was recorded with: they agree with
    /// those to a few ulps (a test checks), but not bit for bit, and the recorded runs must not move.
    /// Below `γh = 0.5` `Var ξₓ` is the series `Σₙ≥₃ (4(-1)ⁿ - (-2)ⁿ) (γh)ⁿ/n! / γ²`, summed until its
    /// terms vanish, since the closed form cancels like `⅔ γ h³`.
    public func exponentialStepNoise(_ h: Double) -> (varianceX: Double, covariance: Double, varianceV: Double) {
        let x = gamma * h
        let oneMinus = -expm1(-x)
        let varianceX: Double
        if x < 0.5 {
            var vx = 0.0
            var term = x * x / 2  // xⁿ/n! at n = 2
            var sign = 1.0        // (-1)ⁿ
            var twoPower = 4.0    // 2ⁿ
            for n in 3...40 {
                term *= x / Double(n)
                sign = -sign
                twoPower *= 2
                vx += (4 * sign - sign * twoPower) * term
                if term * twoPower < 1e-18 * abs(vx) { break }
            }
            varianceX = vx / (gamma * gamma)
        } else {
            varianceX = (2 * x - 3 + 4 * exp(-x) - exp(-2 * x)) / (gamma * gamma)
        }
        return (varianceX, oneMinus * oneMinus / gamma, -expm1(-2 * x))
    }
}
