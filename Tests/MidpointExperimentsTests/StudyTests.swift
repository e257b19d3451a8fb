import Foundation
import MidpointDiffusion
import MidpointExperiments
import MidpointLinearAlgebra
import MidpointLogConcave
import MidpointMetrics
import MidpointRandom
import MidpointScoreModels
import MidpointTargets
import Testing

/// The experiment drivers behind `scaling`, `compare` and `mcmc-cost`.
@Suite struct StudyTests {
    @Test func linearFitRecoversLinesAndPowerLaws() {
        let xs: [Double] = [1, 2, 4, 7, 11]
        #expect(abs(LinearFit.slope(xs, xs.map { 3 - 2 * $0 }) + 2) <= 1e-12)
        #expect(abs(LinearFit.exponent(xs, xs.map { 5 * pow($0, 1.5) }) - 1.5) <= 1e-12)
        // Least squares, not two points: residuals +1, -1, -1, +1 around y = x are symmetric, slope 1.
        #expect(abs(LinearFit.slope([0, 1, 2, 3], [1, 0, 1, 4]) - 1) <= 1e-12)
        #expect(LinearFit.slope([2], [3]).isNaN)
        #expect(LinearFit.slope([2, 2], [3, 4]).isNaN)
    }

    @Test func candidatesArePowersOfTwoAndTheirThreeHalves() {
        #expect(ScalingStudy.candidates(upTo: 20) == [2, 3, 4, 6, 8, 12, 16])
        #expect(ScalingStudy.candidates(upTo: 2) == [2])
    }

    /// The search reports the cheapest passing candidate: for every dimension the reported grid passes
    /// and the next smaller candidate fails, checked by direct runs of the exact error measure (ddim
    /// is deterministic, so ``LinearGaussianW2`` is exact and the check is not statistical).
    @Test func scalingSearchFindsTheCheapestPassingGrid() throws {
        let options: (Int) -> DiffusionRunOptions = { steps in
            var o = DiffusionRunOptions(particles: 4, seed: 3)
            o.cost = .steps(steps)
            o.threads = 1
            return o
        }
        let ddim = try SamplerRegistry.sampler(named: "ddim")
        let study = ScalingStudy(family: .product, dimensions: [64, 4, 16], tolerance: 0.05,
                                 samplers: [(name: "ddim", sampler: ddim)], maxSteps: 256, options: options)
        #expect(study.dimensions == [4, 16, 64])
        let (points, fits) = try study.run()
        #expect(points.count == 3)
        let candidates = ScalingStudy.candidates(upTo: 256)
        for p in points {
            let steps = try #require(p.steps, "d = \(p.dimension) found no grid")
            let measure = try ScalingFamily.product.measure(dimension: p.dimension)
            var o = options(steps)
            o.denoise = false
            #expect(try measure(ddim, o).w2 <= 0.05)
            let index = try #require(candidates.firstIndex(of: steps))
            if index > 0 {
                o = options(candidates[index - 1])
                o.denoise = false
                #expect(try measure(ddim, o).w2 > 0.05, "d = \(p.dimension): \(candidates[index - 1]) steps also pass")
            }
        }
        // DDIM's cost grows with d (the error adds up over coordinates), so the exponent is positive.
        #expect(fits.count == 1 && fits[0].nfeExponent > 0)
        #expect(study.table(points).rows.count == 3)
    }

    /// The comparison reproduces a direct run at each budget (same options, same metrics), records
    /// refused budgets instead of stopping, and lays out one tidy row per run and metric.
    @Test func comparisonMatchesDirectRunsAndRecordsRefusals() throws {
        let target = BuiltinTarget.ring2d.make()
        let suite = MetricSuite(target: target, particles: 400, seed: 9)
        let options: (DiffusionRunOptions.Cost) -> DiffusionRunOptions = { cost in
            var o = DiffusionRunOptions(particles: 400, seed: 2)
            o.cost = cost
            o.threads = 1
            return o
        }
        let rm = try SamplerRegistry.sampler(named: "rm")
        let comparison = SamplerComparison(model: target, subject: "ring2d", metrics: suite,
                                           samplers: [(name: "rm", sampler: rm)], budgets: [12, 1], budget: .nfe, options: options)
        let entries = try comparison.run()
        #expect(entries.map(\.budget) == [1, 12])
        #expect(entries[0].result == nil && entries[0].note == "budget too small")
        let direct = try DiffusionRun.run(rm, model: target, options: options(.nfe(12)))
        let expected = suite.evaluate(direct.samples).map(\.value)
        let measured = try #require(entries[1].result).metrics.map(\.value)
        #expect(measured == expected)
        #expect(comparison.table(entries, floorLabel: "exact").rows.count == 3)
        #expect(comparison.tidyTable(entries).rows.count == 2 * suite.names.count)
    }

    /// A model that fails mid-comparison stops it, but the runs finished before are kept with the reason.
    @Test func comparisonKeepsFinishedRunsWhenTheModelFails() throws {
        let target = BuiltinTarget.ring2d.make()
        let dying = DyingModel(base: target, liveRows: 20 * 2 * 8)  // rm: 2 evaluations per step, 8 steps
        let suite = MetricSuite(target: target, particles: 20, seed: 9)
        let options: (DiffusionRunOptions.Cost) -> DiffusionRunOptions = { cost in
            var o = DiffusionRunOptions(particles: 20, seed: 2)
            o.cost = cost
            o.denoise = false
            return o
        }
        let rm = try SamplerRegistry.sampler(named: "rm")
        let comparison = SamplerComparison(model: dying, subject: "ring2d", metrics: suite,
                                           samplers: [(name: "rm", sampler: rm)], budgets: [8, 16], budget: .steps, options: options)
        let (entries, failure) = comparison.runKeepingFinished()
        #expect(entries.count == 1 && entries[0].budget == 8 && entries[0].result != nil)
        #expect(failure == .modelFailed("the test model died"))
        #expect(comparison.tidyTable(entries).rows.count == suite.names.count)
        #expect(throws: SamplingError.modelFailed("the test model died")) { try comparison.run() }
    }

    /// ULA's exact recursion reaches its closed-form stationary law: per coordinate
    /// `v* = λ / (1 - h/(2λ))` (the fixed point of `v' = (1 - h/λ)² v + 2h`), so the W2 converges to
    /// `√Σ (√v* - √λ)²`; after 20,000 steps the remaining transient is `(1 - h/λ_max)^{2n}` ≈ e^{-40}.
    @Test func ulaRecursionReachesItsStationaryLaw() {
        var study = MCMCCostStudy(dimension: 8, condition: 10, tolerance: 1e-12, start: .ones, maxGradients: 20_000)
        study.quadraturePoints = 4
        let h = 0.02
        let lambdas = study.lambdas
        let expected = lambdas.reduce(0.0) { sum, l in
            let e = (l / (1 - h / (2 * l))).squareRoot() - l.squareRoot()
            return sum + e * e
        }.squareRoot()
        let last = study.trajectory("ula", stepSize: h, friction: .nan).last!
        #expect(last.gradients == 20_000)
        #expect(abs(last.w2 - expected) <= 1e-10 * expected, "\(last.w2) vs \(expected)")
    }

    /// The randomized-midpoint recursion against the sampler itself: 40,000 chains of
    /// `RandomizedMidpointULMCSampler` on the same Gaussian, 3 steps from (1, …, 1), must match the exact
    /// means and variances within 5 standard errors (SE of a mean `√(v/N)`, of a variance `v √(2/(N-1))`
    /// for near-Gaussian laws; 16 quantities, so a 5-SE miss has probability < 1e-5).
    @Test func randomizedMidpointRecursionMatchesTheSampler() throws {
        let (d, n, h, gamma) = (4, 40_000, 0.3, 2.0)
        let study = MCMCCostStudy(dimension: d, condition: 10, tolerance: 1e-12, start: .ones, maxGradients: 6)
        let lambdas = study.lambdas
        var covariance = Matrix(rows: d, columns: d)
        for i in 0..<d { covariance[i, i] = lambdas[i] }
        let target = try GaussianPotential(mean: [Double](repeating: 0, count: d), covariance: covariance)
        var options = MCMCOptions(chains: n, draws: 1, warmup: 2, seed: 17)
        options.threads = 1
        let run = try MCMCRun.run(RandomizedMidpointULMCSampler(stepSize: h, friction: gamma), potential: target, options: options,
                                  initial: Matrix(rows: n, columns: d, repeating: 1))
        let exact = study.moments("rm-ulmc", stepSize: h, friction: gamma, steps: 3)
        for j in 0..<d {
            let xs = (0..<n).map { run[chain: $0, draw: 0, coordinate: j] }
            let mean = xs.reduce(0, +) / Double(n)
            let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            let (m, v) = exact[j]
            #expect(abs(mean - m) <= 5 * (v / Double(n)).squareRoot(), "coordinate \(j): mean \(mean) vs \(m)")
            #expect(abs(variance - v) <= 5 * v * (2 / Double(n - 1)).squareRoot(), "coordinate \(j): variance \(variance) vs \(v)")
        }
    }

    /// The search is deterministic and finds rm-ulmc cheaper than ulmc and ula on the κ = 100 Gaussian
    /// (the claim the docs quantify), and its optimum is a local minimum of the cost on a finer grid.
    @Test func exactCostSearchIsDeterministicAndRanksTheSamplers() {
        var study = MCMCCostStudy(dimension: 20, condition: 100, tolerance: 0.1, start: .mode, maxGradients: 3000)
        study.stepGrid = 16
        study.frictionGrid = 8
        let first = study.run(samplers: ["ula", "ulmc", "rm-ulmc"])
        let second = study.run(samplers: ["ula", "ulmc", "rm-ulmc"])
        #expect(first.map(\.gradients) == second.map(\.gradients))
        let cost = Dictionary(uniqueKeysWithValues: first.map { ($0.sampler, $0.gradients ?? .max) })
        #expect(cost["rm-ulmc"]! < cost["ulmc"]! && cost["rm-ulmc"]! < cost["ula"]!)
        let rm = first[2]
        for scale in [0.97, 1.03] {
            #expect((study.cost("rm-ulmc", stepSize: rm.stepSize * scale, friction: rm.friction) ?? .max) >= rm.gradients!)
        }
    }

    /// An n-point Gauss–Legendre rule integrates polynomials of degree below 2n exactly (to rounding):
    /// ∫₀¹ a^k da = 1/(k+1); its nodes are ascending inside (0, 1) and its weights sum to 1.
    @Test func gaussLegendreIsExactForPolynomials() {
        for n in [1, 2, 5, 32] {
            let rule = GaussLegendre(points: n)
            #expect(zip(rule.nodes, rule.nodes.dropFirst()).allSatisfy { $0 < $1 } && rule.nodes.allSatisfy { $0 > 0 && $0 < 1 })
            for k in 0..<(2 * n) {
                let integral = zip(rule.nodes, rule.weights).reduce(0.0) { $0 + $1.1 * pow($1.0, Double(k)) }
                #expect(abs(integral - 1 / Double(k + 1)) <= 1e-13, "n = \(n), degree \(k)")
            }
        }
    }
}

/// A model that scores its first `liveRows` rows like `base`, then fails (NaN scores and a reason), as a
/// served model whose server died does.
final class DyingModel: ScoreModel, @unchecked Sendable {
    let base: any ScoreModel
    let liveRows: Int
    private let lock = NSLock()
    private var scored = 0

    init(base: any ScoreModel, liveRows: Int) {
        self.base = base
        self.liveRows = liveRows
    }

    var dimension: Int { base.dimension }

    var failure: String? { lock.withLock { scored > liveRows ? "the test model died" : nil } }

    func score(times: UnsafeBufferPointer<Double>, x: MatrixView, into scores: MutableMatrixView) {
        let dead = lock.withLock { scored += times.count; return scored > liveRows }
        if dead {
            for i in 0..<(scores.rows * scores.columns) { scores.base[i] = .nan }
        } else {
            base.score(times: times, x: x, into: scores)
        }
    }
}
