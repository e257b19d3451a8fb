import Foundation

/// A prior on one parameter of a ``RegressionModel``, as brms and rstanarm users write it:
/// `normal(μ, s)`, `student_t(ν, μ, s)`, `cauchy(μ, s)`, `half_normal(s)`, `half_student_t(ν, s)`,
/// `half_cauchy(s)`, `exponential(λ)` or `flat` (`docs/log-concave.md`, "Regression models").
///
/// Its potential `−log p(x)` up to a constant, and the derivative:
/// ```
/// normal(μ, s):        (x − μ)² / (2s²)                 (x − μ) / s²
/// student_t(ν, μ, s):  (ν + 1)/2 · log(1 + z²/ν)         (ν + 1)(x − μ) / (ν s² + (x − μ)²),  z = (x − μ)/s
/// exponential(λ):      λ x                                λ
/// flat:                0                                  0
/// ```
/// A `half_` prior is the same density on `x > 0` (a scale parameter is positive, so truncating changes
/// only the constant); `cauchy` is `student_t` with `ν = 1`. Caveat: `flat` on a coefficient of a model whose
/// data separate the classes (logistic) or do not identify it (collinear predictors) gives an improper
/// posterior; no sampler can detect that reliably.
public enum RegressionPrior: Sendable, Equatable, CustomStringConvertible {
    /// The improper uniform density.
    case flat
    /// `N(μ, s²)`.
    case normal(location: Double, scale: Double)
    /// Student's t with `ν` degrees of freedom, location `μ`, scale `s`.
    case studentT(degrees: Double, location: Double, scale: Double)
    /// `λ e^{−λx}` on `x > 0` (scale parameters only).
    case exponential(rate: Double)

    /// Whether the density is defined only for positive values (a prior for `sigma`).
    public var isPositiveOnly: Bool { if case .exponential = self { true } else { false } }

    /// `−log p(x)` up to a constant.
    @inlinable public func potential(_ x: Double) -> Double {
        switch self {
        case .flat: return 0
        case let .normal(mu, s): let z = (x - mu) / s; return 0.5 * z * z
        case let .studentT(nu, mu, s): let z = (x - mu) / s; return 0.5 * (nu + 1) * log1p(z * z / nu)
        case let .exponential(rate): return rate * x
        }
    }

    /// `d/dx (−log p(x))`.
    @inlinable public func derivative(_ x: Double) -> Double {
        switch self {
        case .flat: return 0
        case let .normal(mu, s): return (x - mu) / (s * s)
        case let .studentT(nu, mu, s): let r = x - mu; return (nu + 1) * r / (nu * s * s + r * r)
        case let .exponential(rate): return rate
        }
    }

    /// The largest curvature `sup |d²/dx² (−log p)|` (for step-size bounds without warm-up).
    public var maximumCurvature: Double {
        switch self {
        case .flat, .exponential: 0
        case let .normal(_, s): 1 / (s * s)
        case let .studentT(nu, _, s): (nu + 1) / (nu * s * s)
        }
    }

    /// The prior as the model file writes it.
    public var description: String {
        switch self {
        case .flat: "flat"
        case let .normal(mu, s): "normal(\(Self.format(mu)), \(Self.format(s)))"
        case let .studentT(nu, mu, s) where nu == 1: "cauchy(\(Self.format(mu)), \(Self.format(s)))"
        case let .studentT(nu, mu, s): "student_t(\(Self.format(nu)), \(Self.format(mu)), \(Self.format(s)))"
        case let .exponential(rate): "exponential(\(Self.format(rate)))"
        }
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
    }

    /// The names `parse` accepts, for error messages.
    public static let syntax = "normal(mu, s), student_t(nu, mu, s), cauchy(mu, s), flat; for sigma also half_normal(s), half_student_t(nu, s), half_cauchy(s), exponential(rate)"

    /// Parses `text` (e.g. `student_t(3, 0, 2.5)`) for the parameter block `field` (its path in the model
    /// file, e.g. `priors.sigma`); `positive` allows the `half_` forms and `exponential` (a scale parameter).
    /// - Throws: ``PotentialError/invalid(field:reason:)`` naming the field, the text and what is allowed.
    public static func parse(_ text: String, field: String, positive: Bool) throws(PotentialError) -> RegressionPrior {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let allowed = positive ? syntax : "normal(mu, s), student_t(nu, mu, s), cauchy(mu, s) or flat"
        func fail(_ why: String) -> PotentialError { .invalid(field: field, reason: "is \"\(text)\": \(why) (allowed: \(allowed))") }
        if trimmed == "flat" { return .flat }
        guard let open = trimmed.firstIndex(of: "("), trimmed.hasSuffix(")") else { throw fail("not a prior") }
        let name = String(trimmed[..<open]).trimmingCharacters(in: .whitespaces)
        let known: Set<String> = ["normal", "student_t", "cauchy", "half_normal", "half_student_t", "half_cauchy", "exponential"]
        guard known.contains(name) else { throw fail("unknown prior '\(name)'") }
        let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        var args: [Double] = []
        for piece in inner.split(separator: ",", omittingEmptySubsequences: false)
            where !(inner.trimmingCharacters(in: .whitespaces).isEmpty) {
            guard let v = Double(piece.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                throw fail("'\(piece.trimmingCharacters(in: .whitespaces))' is not a finite number")
            }
            args.append(v)
        }
        func need(_ n: Int) throws(PotentialError) {
            guard args.count == n else { throw fail("\(name) takes \(n) argument\(n == 1 ? "" : "s"), got \(args.count)") }
        }
        // Scales, rates and degrees of freedom whose squares and reciprocals stay finite.
        func positiveArg(_ i: Int, _ what: String) throws(PotentialError) {
            guard args[i] >= 1e-100, args[i] <= 1e100 else { throw fail("its \(what) must be in 1e-100...1e100") }
        }
        let halfForms: Set<String> = ["half_normal", "half_student_t", "half_cauchy", "exponential"]
        if halfForms.contains(name), !positive { throw fail("\(name) is for a positive parameter (sigma)") }
        switch name {
        case "normal": try need(2); try positiveArg(1, "scale"); return .normal(location: args[0], scale: args[1])
        case "student_t":
            try need(3); try positiveArg(0, "degrees of freedom"); try positiveArg(2, "scale")
            return .studentT(degrees: args[0], location: args[1], scale: args[2])
        case "cauchy": try need(2); try positiveArg(1, "scale"); return .studentT(degrees: 1, location: args[0], scale: args[1])
        case "half_normal": try need(1); try positiveArg(0, "scale"); return .normal(location: 0, scale: args[0])
        case "half_student_t":
            try need(2); try positiveArg(0, "degrees of freedom"); try positiveArg(1, "scale")
            return .studentT(degrees: args[0], location: 0, scale: args[1])
        case "half_cauchy": try need(1); try positiveArg(0, "scale"); return .studentT(degrees: 1, location: 0, scale: args[0])
        case "exponential": try need(1); try positiveArg(0, "rate"); return .exponential(rate: args[0])
        default: throw fail("unknown prior '\(name)'")
        }
    }
}
