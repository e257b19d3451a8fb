import Foundation

/// The forward Ornstein–Uhlenbeck process `dX = -X dτ + √2 dB` in its own time `τ`, and the
/// coefficients every sampler is written in.
///
/// `X_τ = α(τ) X₀ + σ(τ) Z` with `α = e^{-τ}` and `σ² = 1 - e^{-2τ}`; the log signal-to-noise ratio is
/// `λ = log(α/σ)`. Every variance-preserving schedule is this process in another clock
/// (`τ = -½ ln ᾱ`), see ``DDPMLinearClock``. The formulas use `expm1`/`log1p` so that they keep full
/// relative precision for `τ` down to 1e-12 and stay finite for `τ` up to several hundred.
public enum ForwardProcess {
    /// Signal scale `α(τ) = e^{-τ}`.
    @inlinable public static func alpha(_ tau: Double) -> Double { exp(-tau) }

    /// Noise variance `σ²(τ) = 1 - e^{-2τ}`, computed as `-expm1(-2τ)`.
    @inlinable public static func sigmaSquared(_ tau: Double) -> Double { -expm1(-2 * tau) }

    /// Noise scale `σ(τ) = √(1 - e^{-2τ})`.
    @inlinable public static func sigma(_ tau: Double) -> Double { sigmaSquared(tau).squareRoot() }

    /// Log signal-to-noise ratio `λ(τ) = log(α/σ) = -τ - ½ log(1 - e^{-2τ})`.
    @inlinable public static func logSNR(_ tau: Double) -> Double { -tau - 0.5 * log(-expm1(-2 * tau)) }

    /// The noise-to-signal ratio `ς = σ/α = √(e^{2τ} - 1)` (EDM's "σ").
    @inlinable public static func noiseToSignal(_ tau: Double) -> Double { expm1(2 * tau).squareRoot() }

    /// The time with signal scale `alpha` ∈ (0, 1): `τ = -log α`.
    @inlinable public static func tau(alpha: Double) -> Double { -log(alpha) }

    /// The time with noise scale `sigma` ∈ (0, 1): `τ = -½ log(1 - σ²)`.
    @inlinable public static func tau(sigma: Double) -> Double { -0.5 * log1p(-sigma * sigma) }

    /// The time with log-SNR `lambda`: `τ = ½ log(1 + e^{-2λ})`, rearranged for large `-λ`.
    @inlinable public static func tau(logSNR lambda: Double) -> Double {
        lambda > -300 ? 0.5 * log1p(exp(-2 * lambda)) : -lambda + 0.5 * log1p(exp(2 * lambda))
    }

    /// The time with noise-to-signal ratio `ς`: `τ = ½ log(1 + ς²)`.
    @inlinable public static func tau(noiseToSignal s: Double) -> Double { 0.5 * log1p(s * s) }
}
