import Foundation

/// The response distribution and link of a ``RegressionModel``.
///
/// Each observation's negative log-likelihood `ℓ(η)` at linear predictor `η` (constants dropped) and its
/// derivative `ℓ'(η)`, with `s(η) = log(1 + e^η)` (softplus) and `ς(η) = 1/(1 + e^{−η})`:
/// ```
/// gaussian  (identity):  (y − η)² / (2σ²) + log σ        −(y − η)/σ²
/// bernoulli (logit):     s(η) − y η                      ς(η) − y
/// binomial  (logit):     n s(η) − y η                    n ς(η) − y
/// poisson   (log):       e^η − y η                       e^η − y
/// ```
/// Softplus and the logistic function are evaluated without overflow for every finite `η`; `e^η` overflows
/// above `η ≈ 709`, which the samplers report as a non-finite state.
public enum RegressionFamily: String, Sendable, CaseIterable {
    /// Normal response, identity link, unknown scale `σ` (sampled as `log σ`).
    case gaussian
    /// 0/1 response, logit link.
    case bernoulli
    /// Counts out of `n` trials, logit link.
    case binomial
    /// Counts, log link.
    case poisson

    /// Whether the family has a scale parameter `σ`.
    public var hasScale: Bool { self == .gaussian }

    /// The link, for summaries.
    public var link: String {
        switch self {
        case .gaussian: "identity"
        case .bernoulli, .binomial: "logit"
        case .poisson: "log"
        }
    }

    /// `ℓ(η)` and `ℓ'(η)` for response `y` with `trials` (binomial) and `1/σ²` (gaussian; `log σ` is added
    /// once per observation by the caller).
    @inlinable
    public func loss(_ eta: Double, y: Double, trials: Double, inverseVariance: Double) -> (value: Double, slope: Double) {
        switch self {
        case .gaussian:
            let r = y - eta
            return (0.5 * r * r * inverseVariance, -r * inverseVariance)
        case .bernoulli, .binomial:
            let e = exp(-abs(eta))
            let softplus = max(eta, 0) + log1p(e)
            let logistic = eta >= 0 ? 1 / (1 + e) : e / (1 + e)
            return (trials * softplus - y * eta, trials * logistic - y)
        case .poisson:
            let mu = exp(eta)
            return (mu - y * eta, mu - y)
        }
    }

    /// Checks one response value, naming the row when it is not allowed.
    func checkResponse(_ y: Double, trials: Double, row: Int, column: String) throws(PotentialError) {
        let field = "data: column '\(column)' row \(row + 1)"
        switch self {
        case .gaussian: break
        case .bernoulli:
            guard y == 0 || y == 1 else { throw .invalid(field: field, reason: "must be 0 or 1 for family bernoulli, got \(y)") }
        case .binomial:
            guard y >= 0, y <= trials, y == y.rounded() else {
                throw .invalid(field: field, reason: "must be an integer in 0...\(trials) (its trials) for family binomial, got \(y)")
            }
        case .poisson:
            guard y >= 0, y == y.rounded() else { throw .invalid(field: field, reason: "must be a non-negative integer for family poisson, got \(y)") }
        }
    }
}
