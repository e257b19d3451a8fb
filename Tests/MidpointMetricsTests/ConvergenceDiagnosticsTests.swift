import Foundation
import MidpointMetrics
import Testing

/// R-hat and ESS against ArviZ 0.23.4 (`scripts/make_mcmc_diagnostics_fixture.py`), on chains chosen to
/// exercise every branch: iid, strongly autocorrelated with an odd length (the split drops the middle
/// draw), a shifted chain (bulk R-hat), a scaled chain (tail R-hat), tied values (average ranks),
/// anticorrelation (negative odd autocorrelations) and a long, barely mixing chain.
@Suite struct ConvergenceDiagnosticsTests {
    struct Case {
        let name: String
        let draws: [[Double]]
        let rHat: Double, essBulk: Double, essTail: Double
    }

    static func cases() throws -> [Case] {
        let url = try #require(Bundle.module.url(forResource: "mcmc-diagnostics", withExtension: "json", subdirectory: "Fixtures"))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let list = try #require(root["cases"] as? [[String: Any]])
        return try list.map { item in
            let hex = try #require(item["draws"] as? [[String]])
            return Case(name: try #require(item["name"] as? String), draws: try hex.map { try $0.map { try #require(Double($0)) } },
                 rHat: try #require(item["rhat"] as? Double), essBulk: try #require(item["ess_bulk"] as? Double),
                 essTail: try #require(item["ess_tail"] as? Double))
        }
    }

    /// ArviZ computes autocovariances by FFT and Φ⁻¹ through SciPy; the direct sums and the refined
    /// quantile here differ from them by rounding only, far below the 1e-9 relative tolerance.
    @Test func matchesArviZ() throws {
        let cases = try Self.cases()
        #expect(cases.count == 7)
        for c in cases {
            let (r, b, t) = (ConvergenceDiagnostics.rHat(c.draws), ConvergenceDiagnostics.bulkESS(c.draws),
                             ConvergenceDiagnostics.tailESS(c.draws))
            #expect(abs(r - c.rHat) <= 1e-9 * c.rHat, "\(c.name): R-hat \(r) vs \(c.rHat)")
            #expect(abs(b - c.essBulk) <= 1e-9 * c.essBulk, "\(c.name): bulk ESS \(b) vs \(c.essBulk)")
            #expect(abs(t - c.essTail) <= 1e-9 * c.essTail, "\(c.name): tail ESS \(t) vs \(c.essTail)")
        }
    }

    /// Rank normalization needs `Φ⁻¹` on [1/(4S), 1 - 1/(4S)]; the refined quantile inverts `Φ` there
    /// to within rounding of `Φ` itself (relative 1e-14 of the smaller tail).
    @Test(arguments: [1e-12, 1e-6, 0.001, 0.02425, 0.3, 0.5, 0.9, 0.97575, 1 - 1e-12])
    func normalQuantileInvertsTheCDF(p: Double) {
        let x = NormalQuantile.of(p)
        let back = p < 0.5 ? 0.5 * erfc(-x / 2.0.squareRoot()) : 1 - 0.5 * erfc(x / 2.0.squareRoot())
        #expect(abs(back - p) <= 1e-14 * min(p, 1 - p) + (p > 0.5 ? 2e-16 : 0), "Φ(Φ⁻¹(\(p))) = \(back)")
    }
}

@Suite struct AutocovarianceTests {
    /// The FFT lag sums equal the direct ones (to rounding relative to the lag-0 sum) for series long
    /// enough to take the FFT path, including lengths that are not powers of two.
    @Test(arguments: [64, 100, 1000, 4097])
    func fourierMatchesDirectSums(n: Int) {
        var state: UInt64 = 12345
        let x = (0..<n).map { _ -> Double in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) - 0.5 + 0.3 * sin(Double(n))
        }
        let direct = Autocovariance.directLagSums(x), fast = Autocovariance.lagSums(x)
        let scale = direct[0]
        #expect(fast.count == n)
        #expect(zip(direct, fast).allSatisfy { abs($0 - $1) <= 1e-12 * scale })
    }
}
