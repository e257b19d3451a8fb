import Foundation
import MidpointScoreModels

/// Which prediction ``RandomizedMultistepSampler`` integrates, and in which variables
/// (`docs/algorithms.md` §5.3, "Noise or data prediction").
///
/// Both forms solve the same probability-flow ODE exactly in their own variables; they differ in what the
/// midpoint quadrature averages and the interpolant extrapolates:
/// - `noise`: `y = x/α` against `ς = σ/α`, `dy/dς = ε̂` (DDIM's variables);
/// - `data`: `z = x/σ` against `ρ = α/σ = 1/ς`, `dz/dρ = x̂₀` (DPM-Solver++'s variables).
/// A learned `x̂₀` stays near the data range, whereas the `x̂₀` implied by a learned `ε̂` divides the network's
/// error by a small `α` at high noise — DPM-Solver++'s argument for the data form under guidance. A midpoint
/// uniform in `ρ` falls nearer the low-noise end of each step than one uniform in `ς`.
public enum MultistepPrediction: String, Sendable, CaseIterable, Codable {
    /// `ε̂` against `ς = σ/α`.
    case noise
    /// `x̂₀` against `ρ = α/σ`.
    case data

    /// The integration variable at time `τ`: `ς = σ/α` or `ρ = α/σ`.
    @inlinable
    public func level(_ tau: Double) -> Double {
        switch self {
        case .noise: ForwardProcess.noiseToSignal(tau)
        case .data: 1 / ForwardProcess.noiseToSignal(tau)
        }
    }

    /// The time at which the integration variable equals `level`.
    @inlinable
    public func tau(level: Double) -> Double {
        switch self {
        case .noise: ForwardProcess.tau(noiseToSignal: level)
        case .data: ForwardProcess.tau(noiseToSignal: 1 / level)
        }
    }

    /// The factor from the integrated state to `x`: `x = α y` or `x = σ z`.
    @inlinable
    public func stateScale(_ tau: Double) -> Double {
        switch self {
        case .noise: ForwardProcess.alpha(tau)
        case .data: ForwardProcess.sigma(tau)
        }
    }

    /// The prediction from the score `s` at time `τ` as `score · s + state · x`: `ε̂ = -σ s` (state 0) or
    /// `x̂₀ = (x + σ² s)/α`.
    @inlinable
    public func gains(_ tau: Double) -> (score: Double, state: Double) {
        switch self {
        case .noise:
            return (-ForwardProcess.sigma(tau), 0)
        case .data:
            let alpha = ForwardProcess.alpha(tau)
            return (ForwardProcess.sigmaSquared(tau) / alpha, 1 / alpha)
        }
    }
}
