import Foundation
import MidpointScoreModels

extension ScalarMixture {
    /// The exact quantile `F_τ⁻¹(p)` of the law at `τ`, for `p` in (0, 1).
    ///
    /// Bisection on ``cdf(tau:_:)`` from a bracket of ±40 standard deviations around the extreme
    /// component means (the CDF is continuous and strictly increasing), to an interval below
    /// 1e-15 of the bracket's scale: about 60 evaluations. Bisection rather than Newton because the
    /// density of a well-separated mixture is nearly zero between modes.
    public func quantile(tau: Double, _ p: Double) -> Double {
        precondition(p > 0 && p < 1, "quantile needs p in (0, 1), got \(p)")
        let a = ForwardProcess.alpha(tau), s2 = ForwardProcess.sigmaSquared(tau)
        let spread = variances.map { (a * a * $0 + s2).squareRoot() }.max()!
        var lo = a * means.min()! - 40 * spread, hi = a * means.max()! + 40 * spread
        let tolerance = 1e-15 * (hi - lo)
        while hi - lo > tolerance {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            if cdf(tau: tau, mid) < p { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }
}
