import MidpointFormats

/// The per-parameter summary Stan and ArviZ users read: mean, sd, 5%/50%/95% quantiles, rank-normalized
/// split R-hat, bulk and tail ESS (``ConvergenceDiagnostics``), and bulk ESS per gradient evaluation.
public struct PosteriorSummary: Sendable {
    /// One parameter's row.
    public struct Row: Sendable, Equatable {
        /// The parameter's name.
        public let name: String
        /// Mean and standard deviation (`n - 1` denominator) over every draw of every chain.
        public let mean: Double, sd: Double
        /// Quantiles (type 7).
        public let q5: Double, q50: Double, q95: Double
        /// Rank-normalized split R-hat.
        public let rHat: Double
        /// Bulk and tail effective sample sizes.
        public let essBulk: Double, essTail: Double
    }

    /// One row per parameter.
    public let rows: [Row]
    /// Gradient evaluations per chain behind the draws (warm-up included), for ESS per gradient.
    public let gradientEvaluations: Double
    /// Total gradient evaluations over all chains.
    public let totalGradientEvaluations: Double

    /// Summarizes `draws`: `draws[j]` holds parameter `j` as one array per chain (equal lengths ≥ 4).
    public init(names: [String], draws: [[[Double]]], gradientEvaluationsPerChain: Double) {
        precondition(names.count == draws.count, "one name per parameter")
        self.init(names: names, gradientEvaluationsPerChain: gradientEvaluationsPerChain) { draws[$0] }
    }

    /// Summarizes the parameters one at a time: `chainsOf(j)` gives parameter `j` as one array per chain
    /// (equal lengths ≥ 4, the same for every `j`), so that only one parameter's draws are copied at once.
    public init(names: [String], gradientEvaluationsPerChain: Double, chainsOf: (Int) -> [[Double]]) {
        var chainCount = 0
        rows = names.indices.map { j in
            let chains = chainsOf(j)
            chainCount = chains.count
            let all = chains.flatMap { $0 }
            let n = Double(all.count)
            let mean = all.reduce(0, +) / n
            let sd = (all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
            let sorted = all.sorted()
            return Row(name: names[j], mean: mean, sd: sd, q5: ConvergenceDiagnostics.quantile(sorted, 0.05),
                       q50: ConvergenceDiagnostics.quantile(sorted, 0.5), q95: ConvergenceDiagnostics.quantile(sorted, 0.95),
                       rHat: chains.count >= 2 ? ConvergenceDiagnostics.rHat(chains) : .nan,
                       essBulk: ConvergenceDiagnostics.bulkESS(chains), essTail: ConvergenceDiagnostics.tailESS(chains))
        }
        gradientEvaluations = gradientEvaluationsPerChain
        totalGradientEvaluations = gradientEvaluationsPerChain * Double(chainCount)
    }

    /// The smallest bulk ESS over parameters divided by the total gradient evaluations.
    public var minimumBulkESSPerGradient: Double {
        (rows.map(\.essBulk).min() ?? .nan) / totalGradientEvaluations
    }

    /// The summary as a table: `parameter, mean, sd, 5%, 50%, 95%, R-hat, ESS bulk, ESS tail`.
    public var table: Table {
        var t = Table(columns: ["parameter", "mean", "sd", "5%", "50%", "95%", "R-hat", "ESS bulk", "ESS tail"])
        for r in rows {
            t.append([.text(r.name), .number(r.mean), .number(r.sd), .number(r.q5), .number(r.q50), .number(r.q95),
                      .number(r.rHat), .number(r.essBulk), .number(r.essTail)])
        }
        return t
    }
}
