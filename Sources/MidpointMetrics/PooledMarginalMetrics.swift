import Foundation
import MidpointLinearAlgebra
import MidpointScoreModels
import MidpointTargets

/// Errors of a sample from a product target, with all `N·d` coordinates pooled into one 1-D sample
/// and compared with the exact marginal law (a ``ScalarMixture`` at `τ = 0`): the most precise
/// measurement there is, since `N·d` is large.
public struct PooledMarginalMetrics: Sendable, Equatable {
    /// Kolmogorov–Smirnov statistic `sup |Fₙ - F|`.
    public let kolmogorovSmirnov: Double
    /// `W₁ = ∫ |Fₙ - F| dx`, integrated exactly between order statistics.
    public let wasserstein1: Double
    /// Total variation between a histogram and the exact bin probabilities: `½ Σ |nᵦ/n - pᵦ|` over
    /// `bins` equal bins between the law's 1e-4 and 1 - 1e-4 quantiles, plus the two tails.
    public let histogramTV: Double

    /// Measures `samples` (any shape; every entry is one draw) against `law` at time `tau`.
    public init(samples: [Double], law: ScalarMixture, tau: Double = 0, bins: Int = 200) {
        let x = samples.sorted()
        let n = Double(x.count)
        let sds = law.variances.map { (ForwardProcess.alpha(tau) * ForwardProcess.alpha(tau) * $0 + ForwardProcess.sigmaSquared(tau)).squareRoot() }
        let means = law.means.map { ForwardProcess.alpha(tau) * $0 }
        let cdf: (Double) -> Double = { v in
            var p = 0.0
            for k in law.weights.indices { p += law.weights[k] * 0.5 * erfc(-(v - means[k]) / (sds[k] * 2.0.squareRoot())) }
            return p
        }
        // G(x) = ∫_{-∞}^x F: for one Gaussian (x - m) Φ(z) + s φ(z), z = (x - m)/s.
        let integratedCDF: (Double) -> Double = { v in
            var g = 0.0
            for k in law.weights.indices {
                let z = (v - means[k]) / sds[k]
                g += law.weights[k] * ((v - means[k]) * 0.5 * erfc(-z / 2.0.squareRoot()) + sds[k] * exp(-0.5 * z * z) / (2 * Double.pi).squareRoot())
            }
            return g
        }
        var ks = 0.0
        var w1 = integratedCDF(x[0])  // (-∞, x₍₁₎]: Fₙ = 0
        var fPrevious = cdf(x[0])
        for i in 0..<x.count {
            let f = i == 0 ? fPrevious : cdf(x[i])
            ks = max(ks, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
            fPrevious = f
            guard i + 1 < x.count else { break }
            // [x₍ᵢ₎, x₍ᵢ₊₁₎]: Fₙ = c = (i+1)/n.
            let (a, b, c) = (x[i], x[i + 1], Double(i + 1) / n)
            guard b > a else { continue }
            let fa = f, fb = cdf(b)
            let area = integratedCDF(b) - integratedCDF(a)  // ∫ F
            if fb <= c {
                w1 += c * (b - a) - area
            } else if fa >= c {
                w1 += area - c * (b - a)
            } else {
                var (lo, hi) = (a, b)
                for _ in 0..<60 { let m = 0.5 * (lo + hi); if cdf(m) < c { lo = m } else { hi = m } }
                let xc = 0.5 * (lo + hi)
                w1 += (c * (xc - a) - (integratedCDF(xc) - integratedCDF(a)))
                    + ((integratedCDF(b) - integratedCDF(xc)) - c * (b - xc))
            }
        }
        // [x₍ₙ₎, ∞): Fₙ = 1, ∫ (1 - F) = lim (x - G(x)) differences: (1 - F) integrates to
        // Σ wₖ (sₖ φ(z) - (x - m)(1 - Φ(z))).
        var tail = 0.0
        let last = x[x.count - 1]
        for k in law.weights.indices {
            let z = (last - means[k]) / sds[k]
            tail += law.weights[k] * (sds[k] * exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() - (last - means[k]) * 0.5 * erfc(z / 2.0.squareRoot()))
        }
        w1 += tail
        kolmogorovSmirnov = ks
        wasserstein1 = w1

        func quantile(_ p: Double) -> Double {
            var (lo, hi) = (means.min()! - 40 * sds.max()!, means.max()! + 40 * sds.max()!)
            for _ in 0..<200 { let m = 0.5 * (lo + hi); if cdf(m) < p { lo = m } else { hi = m } }
            return 0.5 * (lo + hi)
        }
        let (lo, hi) = (quantile(1e-4), quantile(1 - 1e-4))
        var counts = [Int](repeating: 0, count: bins + 2)
        let width = (hi - lo) / Double(bins)
        for v in x {
            let b = v < lo ? 0 : v >= hi ? bins + 1 : min(bins, 1 + Int((v - lo) / width))
            counts[b] += 1
        }
        var edges = [-Double.infinity]
        for b in 0...bins { edges.append(lo + Double(b) * width) }
        edges.append(.infinity)
        var tv = 0.0
        for b in 0..<(bins + 2) {
            let p = (edges[b + 1].isInfinite ? 1 : cdf(edges[b + 1])) - (edges[b].isInfinite ? 0 : cdf(edges[b]))
            tv += abs(Double(counts[b]) / n - p)
        }
        histogramTV = 0.5 * tv
    }
}
