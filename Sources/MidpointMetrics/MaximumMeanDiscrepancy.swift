import Foundation
import MidpointLinearAlgebra

/// Maximum mean discrepancy with a Gaussian kernel `k(x, y) = exp(-‖x - y‖² / (2ℓ²))`, bandwidth `ℓ`
/// the median pairwise distance of the pooled sample (the "median heuristic").
///
/// `MMD² = E k(X, X') + E k(Y, Y') - 2 E k(X, Y)` with U-statistics for the within-sample terms;
/// reported as `√max(MMD², 0)`. At most `maxPoints` rows of each sample are used (default 2000).
public enum MaximumMeanDiscrepancy {
    /// `√max(MMD², 0)`; pass `bandwidth` to fix `ℓ` (so that a sampler and its noise floor are
    /// measured with the same kernel).
    public static func distance(_ x: Matrix, _ y: Matrix, bandwidth: Double? = nil, maxPoints: Int = PairwiseDistances.defaultMaxPoints) -> Double {
        max(squared(x, y, bandwidth: bandwidth, maxPoints: maxPoints), 0).squareRoot()
    }

    /// The unbiased estimate of `MMD²` itself, negative when the samples are closer than it resolves.
    public static func squared(_ x: Matrix, _ y: Matrix, bandwidth: Double? = nil, maxPoints: Int = PairwiseDistances.defaultMaxPoints) -> Double {
        let a = PairwiseDistances.prefix(x, maxPoints), b = PairwiseDistances.prefix(y, maxPoints)
        let xy = PairwiseDistances.squared(a, b)
        let xx = PairwiseDistances.squared(a, a), yy = PairwiseDistances.squared(b, b)
        let ell = bandwidth ?? medianBandwidth(x, y)
        let scale = -1 / (2 * ell * ell)
        func mean(_ d2: Matrix, excludeDiagonal: Bool) -> Double {
            var s = 0.0
            for i in 0..<d2.rows { for j in 0..<d2.columns where !(excludeDiagonal && i == j) { s += exp(scale * d2[i, j]) } }
            return s / Double(d2.rows * d2.columns - (excludeDiagonal ? d2.rows : 0))
        }
        return mean(xx, excludeDiagonal: true) + mean(yy, excludeDiagonal: true) - 2 * mean(xy, excludeDiagonal: false)
    }

    /// The median heuristic bandwidth of one sample against another (pooled pairwise distances of
    /// at most `maxPoints` rows of each: a median needs far fewer pairs than the statistic).
    public static func medianBandwidth(_ x: Matrix, _ y: Matrix, maxPoints: Int = 500) -> Double {
        let a = PairwiseDistances.prefix(x, maxPoints), b = PairwiseDistances.prefix(y, maxPoints)
        return medianBandwidth(xx: PairwiseDistances.squared(a, a), yy: PairwiseDistances.squared(b, b),
                               xy: PairwiseDistances.squared(a, b))
    }

    static func medianBandwidth(xx: Matrix, yy: Matrix, xy: Matrix) -> Double {
        var all: [Double] = []
        for m in [xx, yy] { for i in 0..<m.rows { for j in (i + 1)..<m.columns { all.append(m[i, j]) } } }
        all += xy.storage
        let k = all.count / 2
        let median = all.sorted()[k]
        return max(median.squareRoot(), 1e-12)
    }
}
