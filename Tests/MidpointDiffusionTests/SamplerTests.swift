import Foundation
import MidpointDiffusion
import MidpointLinearAlgebra
import MidpointRandom
import MidpointScoreModels
import MidpointTargets
import Testing

/// A model whose score turns NaN below a time for rows whose first coordinate is above a level, to
/// check that samplers stop with an error naming the step, the time and a bad particle.
struct PoisonedModel: ScoreModel {
    let dimension = 2
    let poisonBelow: Double
    func score(times: UnsafeBufferPointer<Double>, x: MatrixView, into scores: MutableMatrixView) {
        for i in 0..<x.rows {
            for j in 0..<dimension { scores[i, j] = times[i] < poisonBelow && x[i, 0] > 0.5 ? .nan : -x[i, j] }
        }
    }
}

@Suite struct SamplerTests {
    let samplers: [any DiffusionSampler] = SamplerRegistry.all

    @Test func evaluatorCountsRoundsAndNFE() {
        let target = BuiltinTarget.ring2d.make()
        let evaluator = ScoreEvaluator(model: target, particles: 10)
        var x = Matrix(rows: 10, columns: 2), s = Matrix(rows: 0, columns: 0)
        evaluator.evaluate(tau: 1, x: x, into: &s)
        x = Matrix(rows: 30, columns: 2)
        evaluator.evaluate(times: [Double](repeating: 0.5, count: 30), x: x, into: &s)
        #expect(evaluator.rounds == 2 && evaluator.nfe == 4 && evaluator.rowEvaluations == 40)
    }

    @Test(arguments: SamplerRegistry.names)
    func reportsExactNFEAndRounds(name: String) throws {
        let sampler = try SamplerRegistry.sampler(named: name)
        var options = DiffusionRunOptions(particles: 16, seed: 1)
        // Samplers with a stability limit run on a long horizon's worth of short steps.
        if sampler.maximumStableStep != nil { options.horizon = 1 }
        options.cost = .steps(7)
        let r = try DiffusionRun.run(sampler, model: BuiltinTarget.ring2d.make(), options: options)
        if sampler.hasFixedCost {
            #expect(r.nfe == Double(sampler.evaluations(steps: 7) + 1))
            #expect(r.rounds == sampler.rounds(steps: 7) + 1)
        } else {
            // Early stopping can only save evaluations; every particle is still evaluated equally often.
            #expect(r.nfe <= Double(sampler.evaluations(steps: 7) + 1) && r.nfe == r.nfe.rounded())
        }
        // An NFE budget converts to the most steps whose largest possible cost fits (iterative samplers
        // are compared on equal grids instead, `compare --steps`).
        options.denoise = false
        options.cost = .nfe(sampler.evaluations(steps: 3))
        let b = try DiffusionRun.run(sampler, model: BuiltinTarget.ring2d.make(), options: options)
        #expect(b.grid.steps == 3 || sampler.evaluations(steps: 4) == sampler.evaluations(steps: 3))
        options.cost = .nfe(20)
        guard sampler.evaluations(steps: 1) <= 20 else { return }
        let c = try DiffusionRun.run(sampler, model: BuiltinTarget.ring2d.make(), options: options)
        // The budget conversion takes the most steps that fit.
        #expect(c.nfe <= 20 && sampler.evaluations(steps: c.grid.steps + 1) > 20)
    }

    /// Each particle's path depends only on (seed, particle): any thread count, chunking or batch
    /// size gives bit-identical rows.
    @Test(arguments: SamplerRegistry.names)
    func sameSeedIsBitIdenticalForAnyThreadCountAndBatch(name: String) throws {
        let sampler = try SamplerRegistry.sampler(named: name)
        let target = BuiltinTarget.mixture64.make()
        var options = DiffusionRunOptions(particles: 300, seed: 99)
        options.cost = .steps(8)
        let one = try DiffusionRun.run(sampler, model: target, options: options).samples
        options.threads = 2
        let two = try DiffusionRun.run(sampler, model: target, options: options).samples
        #expect(one == two)
        // ParaDiGMS slides its window once the whole batch has converged, so a particle's path depends
        // on the batch it runs in (not on threads or chunking); every other sampler's does not.
        guard name != "paradigms" else { return }
        options.particles = 37
        let fewer = try DiffusionRun.run(sampler, model: target, options: options).samples
        #expect(fewer.storage == Array(one.storage.prefix(37 * 64)))
    }

    @Test(arguments: SamplerRegistry.names)
    func nonFiniteStateStopsWithStepAndTime(name: String) throws {
        let sampler = try SamplerRegistry.sampler(named: name)
        var options = DiffusionRunOptions(particles: 8, seed: 1)
        options.cost = .steps(10)
        options.gridKind = .uniformTau
        options.horizon = 2
        options.earlyStop = 0.1
        // Start particles at known states: only those with x₀ > 0.5 can be poisoned. Odd particles start
        // at +50, even ones at -50, far beyond what the flow or the injected noise can bridge over a few
        // steps, so only odd particles can fail.
        let start = Matrix(rowArrays: (0..<8).map { $0 % 2 == 1 ? [50.0, 0] : [-50.0, 0] })
        let outcome: Result<DiffusionResult, SamplingError>
        do {
            outcome = .success(try DiffusionRun.run(sampler, model: PoisonedModel(poisonBelow: 1.0), options: options, initial: start))
        } catch {
            outcome = .failure(error)
        }
        guard case let .failure(.nonFinite(step, tau, particle)) = outcome else {
            Issue.record("expected a non-finite error, got \(outcome)")
            return
        }
        // τₙ = 2 - 0.19n: τ₆ = 0.86 is the first grid time below 1, so a sampler that evaluates at
        // the start of each step fails in step 6 (τ₆ → τ₇); one that evaluates inside step 5 (random
        // midpoints) or at its end (Heun's second stage) may fail there.
        #expect(particle % 2 == 1, "particle \(particle) was never poisoned")
        #expect(step == 6 || step == 5 && (name.hasPrefix("rm") || name == "heun"), "step \(step)")
        #expect(abs(tau - (2 - 0.19 * Double(step + 1))) < 1e-12)
    }

    @Test func budgetsAndParametersAreValidated() throws {
        var options = DiffusionRunOptions(particles: 8, seed: 1)
        options.cost = .nfe(1)
        #expect(throws: SamplingError.budgetTooSmall(sampler: "ddim", budget: 1, minimum: 2)) {
            try DiffusionRun.run(DDIMSampler(), model: BuiltinTarget.ring2d.make(), options: options)
        }
        options.cost = .steps(5)
        options.particles = 0
        #expect(throws: SamplingError.invalidParameter(name: "particles", value: "0", allowed: "must be in 1...100000000")) {
            try DiffusionRun.run(DDIMSampler(), model: BuiltinTarget.ring2d.make(), options: options)
        }
        #expect(throws: SamplingError.unknownSampler("rk4", available: SamplerRegistry.names)) {
            try SamplerRegistry.sampler(named: "rk4")
        }
    }
}

/// The collapse checks behind `sample`'s warning: exact copies are counted (bit for bit), and a spread far
/// below the target's is reported per coordinate.
@Suite struct CollapseCheckTests {
    @Test func duplicatesAndCollapsedCoordinatesAreCounted() throws {
        var m = Matrix(rows: 6, columns: 2)
        let rows: [[Double]] = [[1, 2], [1, 2], [0.5, 2], [1, 2.0000000000000004], [0.5, 2], [-0.0, 0]]
        for (i, r) in rows.enumerated() { m[i, 0] = r[0]; m[i, 1] = r[1] }
        // Rows 1 and 4 copy rows 0 and 2; row 3 differs by one ulp and -0.0 is not 0.0 bit for bit.
        #expect(DiffusionResult.duplicateRows(in: m) == 2)
        let target = try GaussianMixtureTarget(mean: [0, 0], covariance: .isotropic(1))
        var options = DiffusionRunOptions(particles: 200, seed: 1)
        options.cost = .steps(8)
        let result = try DiffusionRun.run(DDIMSampler(), model: target, options: options)
        #expect(result.duplicateCount() == 0)
        // Against the true sd (1) nothing collapsed; against an sd 10⁴ times larger, every coordinate did.
        #expect(result.collapsedCoordinateFraction(expectedStandardDeviations: [1, 1]) == 0)
        #expect(result.collapsedCoordinateFraction(expectedStandardDeviations: [1e4, 1e4]) == 1)
    }
}

/// Sharding: a run's particles split into shards (``DiffusionRunOptions/firstParticle``) draw exactly the
/// streams they draw in the whole run, so every sampler that decides nothing over the batch gives rows
/// bit-identical to the whole run's.
@Suite struct ShardingTests {
    @Test(arguments: SamplerRegistry.names)
    func shardsAreBitIdenticalToTheWholeRun(name: String) throws {
        let sampler = try SamplerRegistry.sampler(named: name)
        guard !sampler.decidesOverTheBatch else { return }
        let target = BuiltinTarget.ring2d.make()
        var options = DiffusionRunOptions(particles: 90, seed: 11)
        options.cost = .nfe(24)
        let whole = try DiffusionRun.run(sampler, model: target, options: options).samples
        var rows: [Double] = []
        for range in [0..<13, 13..<50, 50..<90] {
            var shard = options
            shard.particles = range.count
            shard.firstParticle = range.lowerBound
            rows += try DiffusionRun.run(sampler, model: target, options: shard).samples.storage
        }
        #expect(rows == whole.storage)
    }
}
