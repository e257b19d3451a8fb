import Foundation

/// How ``RandomizedMultistepSampler`` extends its last two noise predictions across a step
/// (`docs/algorithms.md` §5.3).
///
/// Given `ε̂` at two earlier points `s_a`, `s_b` (the previous steps' random midpoints), the midpoint
/// state is `ŷ = y + ∫_{ς}^{ς_m} p(r) dr` for the interpolant `p` through `(s_a, f_a)` and `(s_b, f_b)`,
/// which is `ŷ = y + (ς_m - ς) f_b + c (f_b - f_a)` with the coefficient ``slopeCoefficient(from:to:older:newer:)``.
public enum MultistepInterpolant: String, Sendable, CaseIterable, Codable {
    /// `p(r) = f_b + (r - s_b)(f_b - f_a)/(s_b - s_a)`: linear in `ς`.
    case linear
    /// `p(r) = f_b + ln(r/s_b)(f_b - f_a)/ln(s_b/s_a)`: linear in `ln ς` (`ε̂` varies on the log scale
    /// of `ς` near the data).
    case logarithmic = "log"

    /// The coefficient `c` of `f_b - f_a` in `∫_ς^{ς_m} p(r) dr`, for the newer point `s_b` and the
    /// older `s_a` (distinct, positive).
    @inlinable
    public func slopeCoefficient(from s: Double, to sm: Double, older sa: Double, newer sb: Double) -> Double {
        switch self {
        case .linear:
            // ½[(ς_m - s_b)² - (ς - s_b)²] / (s_b - s_a), factored to avoid cancellation.
            return 0.5 * (sm - s) * (sm + s - 2 * sb) / (sb - sa)
        case .logarithmic:
            // ∫ ln(r/s_b) dr = r (ln(r/s_b) - 1).
            let integral = sm * (log(sm / sb) - 1) - s * (log(s / sb) - 1)
            return integral / log(sb / sa)
        }
    }
}
