import Foundation

/// The deterministic weights of the underdamped Langevin flow with friction `γ` over a time `t`
/// (`docs/algorithms.md` §6): the solution of `dx = v dt`, `dv = -γ v dt + g dt` with a constant
/// force `g` is `x(t) = x + ψ₁(t) v + ψ₂(t) g`, `v(t) = ψ₀(t) v + ψ₁(t) g`, where
///
/// ```
/// ψ₀(t) = e^{-γt},   ψ₁(t) = (1 - e^{-γt})/γ,   ψ₂(t) = (γt - 1 + e^{-γt})/γ² = D₁(γt)/γ²
/// ```
///
/// Every Langevin step in the project (``ULMCStep``, ``RandomizedMidpointULMCStep``, the parallel
/// randomized-midpoint ULMC) takes its weights from here. `ψ₂` uses the series of ``LangevinNoiseCovariance/d1(_:)``
/// for small `γt`, where the closed form cancels.
public struct LangevinFlow: Sendable, Equatable {
    /// The friction `γ`.
    public let gamma: Double

    /// The flow for friction `gamma` (finite, > 0).
    public init(friction gamma: Double) {
        precondition(gamma.isFinite && gamma > 0, "need finite γ > 0, got \(gamma)")
        self.gamma = gamma
    }

    /// `ψ₀(t) = e^{-γt}`: how much velocity survives a time `t`.
    @inlinable public func psi0(_ t: Double) -> Double { exp(-gamma * t) }
    /// `ψ₁(t) = (1 - e^{-γt})/γ`: the distance a unit velocity travels (and the velocity a unit force builds).
    @inlinable public func psi1(_ t: Double) -> Double { -expm1(-gamma * t) / gamma }
    /// `ψ₂(t) = (γt - 1 + e^{-γt})/γ²`: the distance a unit force moves a particle at rest.
    public func psi2(_ t: Double) -> Double { LangevinNoiseCovariance.d1(gamma * t) / (gamma * gamma) }
}
