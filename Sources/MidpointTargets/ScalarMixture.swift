import Foundation
import MidpointScoreModels

/// A one-dimensional Gaussian mixture `Σₖ wₖ N(mₖ, vₖ)`: the per-coordinate law of a
/// ``ProductMixtureTarget``, with its exact noised CDF and density (used by 1-D error metrics).
public struct ScalarMixture: Sendable, Equatable {
    /// Normalized weights.
    public let weights: [Double]
    /// Means.
    public let means: [Double]
    /// Variances.
    public let variances: [Double]

    /// A validated mixture; weights are normalized.
    /// - Throws: ``TargetError`` naming `components[k].weight|mean|variance`.
    public init(weights: [Double], means: [Double], variances: [Double]) throws(TargetError) {
        guard !weights.isEmpty else { throw .invalidField(path: "components", reason: "must contain at least one component") }
        guard weights.count == means.count, means.count == variances.count else {
            throw .invalidField(path: "components", reason: "weights, means and variances must have equal counts")
        }
        for k in weights.indices {
            guard weights[k].isFinite, weights[k] > 0 else {
                throw .invalidField(path: "components[\(k)].weight", reason: "must be finite and > 0, got \(weights[k])")
            }
            guard means[k].isFinite else {
                throw .invalidField(path: "components[\(k)].mean", reason: "must be finite, got \(means[k])")
            }
            guard variances[k].isFinite, GaussianMixtureTarget.varianceRange.contains(variances[k]) else {
                throw .invalidField(path: "components[\(k)].variance",
                                    reason: "must be finite and in [1e-50, 1e50], got \(variances[k])")
            }
        }
        // Scaled by the largest weight first: a plain sum of weights near 1e308 overflows to infinity.
        let largest = weights.max() ?? 1
        let total = weights.reduce(0) { $0 + $1 / largest }
        self.weights = weights.map { $0 / largest / total }
        self.means = means
        self.variances = variances
    }

    /// Mean of the law at `τ`: `α Σ wₖ mₖ`.
    public func mean(tau: Double) -> Double {
        ForwardProcess.alpha(tau) * zip(weights, means).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Variance of the law at `τ`: `Σ wₖ (cₖ + α² mₖ²) - μ²`, `cₖ = α² vₖ + σ²`.
    public func variance(tau: Double) -> Double {
        let a = ForwardProcess.alpha(tau), s2 = ForwardProcess.sigmaSquared(tau)
        let mu = mean(tau: tau)
        var second = 0.0
        for k in weights.indices { second += weights[k] * (a * a * variances[k] + s2 + a * a * means[k] * means[k]) }
        return second - mu * mu
    }

    /// Exact CDF of the law at `τ`.
    public func cdf(tau: Double, _ x: Double) -> Double {
        let a = ForwardProcess.alpha(tau), s2 = ForwardProcess.sigmaSquared(tau)
        var p = 0.0
        for k in weights.indices {
            let sd = (a * a * variances[k] + s2).squareRoot()
            p += weights[k] * 0.5 * erfc(-(x - a * means[k]) / (sd * 2.0.squareRoot()))
        }
        return p
    }

    /// Exact density of the law at `τ`.
    public func density(tau: Double, _ x: Double) -> Double {
        exp(logDensity(tau: tau, x))
    }

    /// Exact log-density of the law at `τ` (log-sum-exp over components).
    public func logDensity(tau: Double, _ x: Double) -> Double {
        let a = ForwardProcess.alpha(tau), s2 = ForwardProcess.sigmaSquared(tau)
        var terms: [Double] = []
        for k in weights.indices {
            let c = a * a * variances[k] + s2
            let diff = x - a * means[k]
            terms.append(log(weights[k]) - 0.5 * log(2 * Double.pi * c) - 0.5 * diff * diff / c)
        }
        let top = terms.max()!
        return top + log(terms.reduce(0) { $0 + exp($1 - top) })
    }
}
