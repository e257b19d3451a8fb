/// Conversions between the three ways a diffusion model can state the same prediction at time `τ`:
/// the score `s = ∇ log q_τ`, the noise `ε̂ = -σ s`, and the data (Tweedie) estimate
/// `x̂₀ = (x + σ² s)/α`.
public enum Parameterization {
    /// `ε̂ = -σ s`.
    @inlinable public static func noise(fromScore s: Double, tau: Double) -> Double {
        -ForwardProcess.sigma(tau) * s
    }

    /// `s = -ε̂/σ`.
    @inlinable public static func score(fromNoise eps: Double, tau: Double) -> Double {
        -eps / ForwardProcess.sigma(tau)
    }

    /// `x̂₀ = (x + σ² s)/α`.
    @inlinable public static func data(fromScore s: Double, x: Double, tau: Double) -> Double {
        (x + ForwardProcess.sigmaSquared(tau) * s) / ForwardProcess.alpha(tau)
    }

    /// `s = (α x̂₀ - x)/σ²`.
    @inlinable public static func score(fromData x0: Double, x: Double, tau: Double) -> Double {
        (ForwardProcess.alpha(tau) * x0 - x) / ForwardProcess.sigmaSquared(tau)
    }
}
