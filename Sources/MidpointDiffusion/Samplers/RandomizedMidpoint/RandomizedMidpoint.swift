import Foundation

/// The coefficients of the randomized-midpoint steps (Gupta, Cai & Chen 2024; `docs/algorithms.md` §5).
///
/// **ODE form.** On the probability-flow ODE the exact step is
/// `x(t+h) = e^h x + ∫₀ʰ e^{h-u} s(τ - u, x(t+u)) du`. With `a ~ U[0, 1]`,
/// `h e^{(1-a)h} g(ah)` is an unbiased estimate of `∫₀ʰ e^{h-u} g(u) du` for every `g` (substitute
/// `u = ah`); the midpoint state is reached by an exponential-integrator step of length `ah`.
///
/// **Log-SNR / data form** (our extension, not in the paper). DPM-Solver++'s exact form is
/// `x' = (σ'/σ) x + σ' ∫_λ^{λ'} e^l x̂₀(l) dl`. Drawing `l` on `[λ, λ']` with density `∝ e^l`,
/// `(e^{λ'} - e^λ) x̂₀(l)` is unbiased for the integral, and stays stable where `σ` is small.
public enum RandomizedMidpoint {
    /// Midpoint state coefficients `(e^{ah}, e^{ah} - 1)` for `x_mid = e^{ah} x + (e^{ah} - 1) s`.
    @inlinable
    public static func odeMidpoint(a: Double, h: Double) -> (x: Double, score: Double) {
        (exp(a * h), expm1(a * h))
    }

    /// The weight `h e^{(1-a)h}` of the midpoint score in `x' = e^h x + h e^{(1-a)h} s_mid`.
    @inlinable
    public static func odeWeight(a: Double, h: Double) -> Double { h * exp((1 - a) * h) }

    /// The midpoint noise-to-signal ratio `ς_m = ς + u (ς' - ς)` for `u ∈ [0, 1]`: uniform on `[ς', ς]`
    /// when `u` is, so `(ς' - ς) f(ς_m)` is an unbiased estimate of `∫_ς^{ς'} f` for every `f`.
    @inlinable
    public static func noiseToSignalMidpoint(u: Double, from s: Double, to s1: Double) -> Double {
        s + u * (s1 - s)
    }

    /// The log-SNR midpoint `l = log(e^λ + u (e^{λ'} - e^λ)) = λ + log(1 + u (e^{h_λ} - 1))` for
    /// `u ∈ (0, 1)`: the inverse CDF of the density `∝ e^l` on `[λ, λ + h_λ]`.
    @inlinable
    public static func logSNRMidpoint(u: Double, lambda: Double, h: Double) -> Double {
        lambda + log1p(u * expm1(h))
    }
}
