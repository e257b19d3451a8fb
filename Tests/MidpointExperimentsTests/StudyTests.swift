import Foundation
import MidpointDiffusion
import MidpointExperiments
import MidpointLinearAlgebra
import MidpointMetrics
import MidpointRandom
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
    /// is deterministic, so ``LinearGaussianError`` is exact and the check is not statistical).
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

    /// The corrected W2² is unbiased for exact draws. With `C` exact chains its uncorrected form has
    /// mean `Σλ/C + Σλ/(2C)` (the mean's and the sd's sampling noise) and the corrected one mean 0 with
    /// sd ≈ `√(2Σλ² + Σλ²/2)/C` (χ²₁ fluctuations of `m̂ᵢ²`, and of `(ŝᵢ - √λᵢ)²` at half weight).
    /// d = 10, λ log-spaced in [0.01, 1]: Σλ = 2.49, Σλ² = 1.52; C = 100: uncorrected mean 0.037, sd
    /// 0.0195. Over R = 200 replicates the mean's standard error is 0.0014; the bound is 5 SE (0.007).
    /// Shifted by `δ = 0.3` in every coordinate it estimates `√d δ` = 0.949: the cross term `2δ Σ m̂ᵢ`
    /// has sd `2δ √(Σλ/C')` = 0.015 in W2² at C' = 4000, 0.008 in W2; the bound is 5 sd (0.04).
    @Test func correctedW2RemovesTheSamplingNoise() {
        let study = MCMCCostStudy(dimension: 10, condition: 100, tolerance: 0.1, chains: 100, samplers: [], scales: [],
                                  maxGradients: 1, seed: 0, threads: 1)
        let lambdas = study.lambdas
        func exactDraws(_ chains: Int, seed: UInt64) -> Matrix {
            var x = Matrix(rows: chains, columns: 10)
            NoiseSource(seed: seed).fillNormal(&x, step: 0, slot: 0)
            for i in 0..<x.rows { for j in 0..<10 { x[i, j] *= lambdas[j].squareRoot() } }
            return x
        }
        let replicates = (0..<200).map { MCMCCostStudy.correctedW2Squared(exactDraws(100, seed: UInt64($0)), lambdas: lambdas) }
        let mean = replicates.reduce(0, +) / 200
        #expect(abs(mean) <= 0.007, "mean corrected W2² \(mean); uncorrected would be 0.037")
        var x = exactDraws(4000, seed: 999)
        for i in 0..<x.rows { for j in 0..<10 { x[i, j] += 0.3 } }
        #expect(abs(MCMCCostStudy.correctedW2(x, lambdas: lambdas) - 0.3 * 10.0.squareRoot()) <= 0.04)
    }
}
