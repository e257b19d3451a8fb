import Foundation

/// Rank-normalized split R-hat and bulk and tail effective sample sizes (Vehtari, Gelman, Simpson,
/// Carpenter & Bürkner 2021), computed as ArviZ and Stan do; tested against ArviZ on a fixture.
///
/// Input: one array of draws per chain, all of the same length `n ≥ 4`. Chains are split in halves
/// (the middle draw of an odd length is dropped), so `M` chains become `2M` of length `⌊n/2⌋`.
/// *Rank normalization* replaces every draw by `Φ⁻¹((r - 3/8)/(S + 1/4))`, `r` its average rank among
/// all `S` draws.
public enum ConvergenceDiagnostics {
    /// `max(R̂_bulk, R̂_tail)`: the split R-hat of the rank-normalized draws and of the rank-normalized
    /// distances from the median (which catches chains that differ in scale only). Values above 1.01
    /// say the chains have not mixed.
    public static func rHat(_ chains: [[Double]]) -> Double {
        let split = splitChains(chains)
        let bulk = plainRHat(rankNormalized(split))
        let median = self.median(split.flatMap { $0 }.sorted())
        let folded = split.map { $0.map { abs($0 - median) } }
        return max(bulk, plainRHat(rankNormalized(folded)))
    }

    /// Bulk ESS: the effective sample size of the rank-normalized split chains (about the mean and
    /// the center of the distribution).
    public static func bulkESS(_ chains: [[Double]]) -> Double {
        effectiveSampleSize(rankNormalized(splitChains(chains)))
    }

    /// Tail ESS: the smaller ESS of the indicators `x ≤ q₀.₀₅` and `x ≤ q₀.₉₅` on split chains (about
    /// the 5% and 95% quantiles).
    public static func tailESS(_ chains: [[Double]]) -> Double {
        let sorted = chains.flatMap { $0 }.sorted()
        let (q05, q95) = (quantile(sorted, 0.05), quantile(sorted, 0.95))
        let low = effectiveSampleSize(splitChains(chains.map { $0.map { $0 <= q05 ? 1 : 0 } }))
        let high = effectiveSampleSize(splitChains(chains.map { $0.map { $0 <= q95 ? 1 : 0 } }))
        return min(low, high)
    }

    /// The `p`-quantile of sorted values by linear interpolation between order statistics (NumPy's
    /// default, Hyndman–Fan type 7).
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty, "quantile of no values")
        let position = p * Double(sorted.count - 1)
        let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (position - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// The median of sorted values, the mean of the middle two for an even count — computed as
    /// `(a + b)/2` like NumPy: the folded R-hat ranks `|x - median|`, where the two middle draws tie
    /// exactly only if the median is rounded the same way.
    public static func median(_ sorted: [Double]) -> Double {
        precondition(!sorted.isEmpty, "median of no values")
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// Each chain's first and last `⌊n/2⌋` draws as separate chains.
    static func splitChains(_ chains: [[Double]]) -> [[Double]] {
        chains.flatMap { chain -> [[Double]] in
            let half = chain.count / 2
            return [Array(chain[..<half]), Array(chain[(chain.count - half)...])]
        }
    }

    /// Every draw replaced by `Φ⁻¹((r - 3/8)/(S + 1/4))`, `r` its average rank (ties share the mean rank).
    static func rankNormalized(_ chains: [[Double]]) -> [[Double]] {
        let all = chains.flatMap { $0 }
        let order = all.indices.sorted { all[$0] < all[$1] }
        var ranks = [Double](repeating: 0, count: all.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, all[order[j + 1]] == all[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        let s = Double(all.count)
        var out: [[Double]] = []
        var offset = 0
        for chain in chains {
            out.append((0..<chain.count).map { NormalQuantile.of((ranks[offset + $0] - 0.375) / (s + 0.25)) })
            offset += chain.count
        }
        return out
    }

    /// The classic split-free R-hat of equal-length chains: `√((B/W + n - 1)/n)`, `B = n Var(chain means)`,
    /// `W` the mean within-chain variance (both with `n - 1` denominators).
    static func plainRHat(_ chains: [[Double]]) -> Double {
        let n = Double(chains[0].count)
        let means = chains.map { $0.reduce(0, +) / n }
        let variances = zip(chains, means).map { chain, m in chain.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1) }
        let grand = means.reduce(0, +) / Double(means.count)
        let between = n * means.reduce(0) { $0 + ($1 - grand) * ($1 - grand) } / Double(means.count - 1)
        let within = variances.reduce(0, +) / Double(variances.count)
        return ((between / within + n - 1) / n).squareRoot()
    }

    /// The multi-chain ESS with Geyer's initial positive and initial monotone sequence estimators
    /// (Stan's and ArviZ's `_ess`): autocovariances are the biased ones (divided by `n`), combined
    /// across chains through `var⁺ = (n-1)/n · W + Var(chain means)`; `τ = -1 + 2 Σ ρ̂ₜ` over the
    /// retained lags (plus the last positive even term), at least `1/log₁₀(Mn)`; ESS `= Mn/τ`.
    /// Autocovariances come from ``Autocovariance/lagSums(_:)`` (FFT, `O(n log n)` per chain).
    static func effectiveSampleSize(_ chains: [[Double]]) -> Double {
        let m = chains.count, n = chains[0].count
        let all = chains.flatMap { $0 }
        if let lo = all.min(), let hi = all.max(), hi - lo < 1e-15 { return Double(all.count) }
        let means = chains.map { $0.reduce(0, +) / Double(n) }
        let centered = zip(chains, means).map { chain, mu in chain.map { $0 - mu } }
        let lagSums = centered.map(Autocovariance.lagSums)
        func meanAutocovariance(_ lag: Int) -> Double {
            lagSums.reduce(0) { $0 + $1[lag] / Double(n) } / Double(m)
        }
        let meanVar = meanAutocovariance(0) * Double(n) / Double(n - 1)
        var varPlus = meanVar * Double(n - 1) / Double(n)
        if m > 1 {
            let grand = means.reduce(0, +) / Double(m)
            varPlus += means.reduce(0) { $0 + ($1 - grand) * ($1 - grand) } / Double(m - 1)
        }
        var rho = [Double](repeating: 0, count: n)
        rho[0] = 1
        var rhoEven = 1.0
        var rhoOdd = 1 - (meanVar - meanAutocovariance(1)) / varPlus
        rho[1] = rhoOdd
        var t = 1
        while t < n - 3 && rhoEven + rhoOdd > 0 {
            rhoEven = 1 - (meanVar - meanAutocovariance(t + 1)) / varPlus
            rhoOdd = 1 - (meanVar - meanAutocovariance(t + 2)) / varPlus
            if rhoEven + rhoOdd >= 0 {
                rho[t + 1] = rhoEven
                rho[t + 2] = rhoOdd
            }
            t += 2
        }
        let maxT = t - 2  // -1 when the first pair is already negative
        if rhoEven > 0 { rho[maxT + 1] = rhoEven }
        t = 1
        while t <= maxT - 2 {
            if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t] {
                rho[t + 1] = (rho[t - 1] + rho[t]) / 2
                rho[t + 2] = rho[t + 1]
            }
            t += 2
        }
        let total = Double(m * n)
        var tau = -1 + 2 * rho[0..<(maxT + 1)].reduce(0, +) + rho[maxT + 1]
        tau = max(tau, 1 / log10(total))
        return total / tau
    }
}
