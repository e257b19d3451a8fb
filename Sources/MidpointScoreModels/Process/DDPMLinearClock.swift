/// The continuous "DDPM-linear" variance-preserving schedule, as a clock on the OU time `τ`.
///
/// `β(u) = β_min + u (β_max - β_min)` for `u ∈ [0, 1]` gives `τ(u) = ½(β_min u + ½(β_max - β_min) u²)`;
/// with the defaults `β_min = 0.1`, `β_max = 20`, `τ(1) ≈ 5.03`.
public struct DDPMLinearClock: Sendable, Equatable {
    /// `β` at `u = 0`.
    public let betaMin: Double
    /// `β` at `u = 1`.
    public let betaMax: Double

    /// The clock with the given endpoints (Ho et al.'s defaults unless told).
    public init(betaMin: Double = 0.1, betaMax: Double = 20) {
        precondition(betaMin > 0 && betaMax >= betaMin, "need 0 < betaMin <= betaMax")
        self.betaMin = betaMin
        self.betaMax = betaMax
    }

    /// OU time at schedule time `u`.
    @inlinable public func tau(_ u: Double) -> Double {
        0.5 * (betaMin * u + 0.5 * (betaMax - betaMin) * u * u)
    }

    /// Schedule time `u` at OU time `τ`: the positive root of the quadratic, in the cancellation-free
    /// form `u = 2τ / (½β_min + √(¼β_min² + (β_max - β_min)τ))`.
    @inlinable public func u(tau: Double) -> Double {
        2 * tau / (0.5 * betaMin + (0.25 * betaMin * betaMin + (betaMax - betaMin) * tau).squareRoot())
    }
}
