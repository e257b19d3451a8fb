import Foundation
import MidpointDiffusion
import MidpointLinearAlgebra
import MidpointScoreModels
import MidpointTargets
import MidpointTestSupport
import Synchronization
import Testing

@Suite struct ParallelSamplerTests {
    /// The run reports how far from converged the round cap left the Picard windows: at the fixed point
    /// (2n rounds for n steps) the last round changes nothing (rounding only), with one round per window it
    /// changes the states by a visible amount, and a sequential sampler reports nothing.
    @Test func picardResidualIsReported() throws {
        let target = try GaussianMixtureTarget(mean: [Double](repeating: 0.5, count: 8), covariance: .isotropic(0.3))
        var options = DiffusionRunOptions(particles: 200, seed: 3)
        options.cost = .steps(8)
        let converged = try DiffusionRun.run(RandomizedMidpointParallelSampler(windowSteps: 4, windowSpan: nil, stop: PicardStopRule(maxRounds: 8, tolerance: 0)),
                                             model: target, options: options)
        let capped = try DiffusionRun.run(RandomizedMidpointParallelSampler(windowSteps: 4, windowSpan: nil, stop: PicardStopRule(maxRounds: 1, tolerance: 0)),
                                          model: target, options: options)
        let sequential = try DiffusionRun.run(RandomizedMidpointSampler(), model: target, options: options)
        #expect(try #require(converged.picardResidual) < 1e-12)
        #expect(try #require(capped.picardResidual) > 1e-2)
        #expect(sequential.picardResidual == nil)
    }

    /// With enough rounds (2n per window of n steps: each round makes one more state exact) and no
    /// early stop, Picard reaches its fixed point, which is sequential `rm` with the same midpoints.
    @Test(arguments: ["mixture64", "ring2d"])
    func rmParallelEqualsSequentialRM(targetName: String) throws {
        let target = BuiltinTarget(rawValue: targetName)!.make()
        var options = DiffusionRunOptions(particles: 64, seed: 17)
        options.cost = .steps(12)
        let sequential = try DiffusionRun.run(RandomizedMidpointSampler(), model: target, options: options)
        let window = 5
        let parallel = RandomizedMidpointParallelSampler(windowSteps: window, windowSpan: nil, stop: PicardStopRule(maxRounds: 2 * window, tolerance: 0))
        let result = try DiffusionRun.run(parallel, model: target, options: options)
        var worst = 0.0
        for k in 0..<sequential.samples.storage.count {
            let (a, b) = (sequential.samples.storage[k], result.samples.storage[k])
            worst = max(worst, abs(a - b) / max(1, abs(a)))
        }
        #expect(worst < 1e-10, "largest relative difference \(worst)")
        // Windows of 5, 5, 2 steps, 10 rounds each; one evaluation per (particle, state) per round, plus denoising.
        #expect(result.rounds == 3 * 10 + 1)
        #expect(result.nfe == Double(2 * 12 * 10 + 1))
        #expect(sequential.rounds == 2 * 12 + 1)
    }

    @Test func rmParallelIsThreadInvariant() throws {
        let target = BuiltinTarget.mixture64.make()
        var options = DiffusionRunOptions(particles: 300, seed: 5)
        options.cost = .steps(10)
        let one = try DiffusionRun.run(RandomizedMidpointParallelSampler(), model: target, options: options).samples
        options.threads = 2
        let two = try DiffusionRun.run(RandomizedMidpointParallelSampler(), model: target, options: options).samples
        #expect(one == two)
    }
}

@Suite struct ParaDiGMSTests {
    /// With tolerance 0 a state is accepted only once it stops changing bit for bit, so the result is
    /// the sequential sampler's, with the same noise for `ddpm`.
    @Test(arguments: [("ddim", 4), ("ddim", 7), ("ddpm", 5)])
    func paradigmsEqualsSequentialBase(baseName: String, window: Int) throws {
        let target = BuiltinTarget.mixture64.make()
        var options = DiffusionRunOptions(particles: 40, seed: 8)
        options.cost = .steps(15)
        let base = try SamplerRegistry.sampler(named: baseName) as! any SingleStepSampler
        let sequential = try DiffusionRun.run(base, model: target, options: options)
        let parallel = try DiffusionRun.run(ParaDiGMSSampler(base: base, windowSteps: window, tolerance: 0),
                                            model: target, options: options)
        var worst = 0.0
        for k in 0..<sequential.samples.storage.count {
            worst = max(worst, abs(sequential.samples.storage[k] - parallel.samples.storage[k]))
        }
        #expect(worst < 1e-10, "\(baseName), window \(window): largest difference \(worst)")
        // Every round evaluates the whole window once per particle, and advances at least one step.
        #expect(parallel.rounds - 1 >= (15 + window - 1) / window && parallel.rounds - 1 <= 15)
    }

    /// With a loose tolerance the window slides faster than one step per round: fewer rounds than
    /// sequential DDIM's steps.
    @Test func looseToleranceSavesRounds() throws {
        let target = BuiltinTarget.mixture64.make()
        var options = DiffusionRunOptions(particles: 40, seed: 8)
        options.cost = .steps(40)
        let r = try DiffusionRun.run(ParaDiGMSSampler(windowSteps: 8, tolerance: 1e-2), model: target, options: options)
        #expect(r.rounds - 1 < 40, "rounds \(r.rounds)")
    }
}

@Suite struct LatencyAndContractionTests {
    /// The model's per-call hook (`willScoreBatch`, where ``LatencyBoundModel`` pays its delay) runs
    /// once per round, with the whole batch, while the rows are scored in chunks of 256: counted by a
    /// wrapper under the latency wrapper, for a sequential sampler (DDIM: 5 steps + the denoising
    /// step, 6 rounds) and a parallel one (rm-parallel, whose rounds evaluate several sub-steps at
    /// once). The delay itself is at least `rounds × latency` (a sleep never ends early).
    @Test(arguments: ["ddim", "rm-parallel"])
    func latencyIsPaidOncePerRound(samplerName: String) throws {
        let target = BuiltinTarget.ring2d.make()
        let counter = CallCounter()
        let latency = 0.001
        let slow = LatencyBoundModel(CountingModel(base: target, counter: counter), latency: latency)
        var options = DiffusionRunOptions(particles: 2000, seed: 1)
        options.cost = .steps(5)
        options.threads = 2
        let sampler = try SamplerRegistry.sampler(named: samplerName)
        let fast = try DiffusionRun.run(sampler, model: target, options: options)
        let r = try DiffusionRun.run(sampler, model: slow, options: options)
        #expect(r.samples == fast.samples)
        let counts = counter.state.withLock { $0 }
        #expect(counts.batches == r.rounds, "\(samplerName): \(counts.batches) batched calls, \(r.rounds) rounds")
        if samplerName == "ddim" {
            #expect(r.rounds == 6)
            #expect(counts.batchRows == 6 * 2000)
        }
        // Every row of every batch is scored exactly once, in chunks of at most 256 rows.
        #expect(counts.chunkRows == counts.batchRows)
        #expect(counts.chunks >= counts.batchRows / RowChunks.defaultChunkSize && counts.chunks > counts.batches)
        #expect(r.modelSeconds >= Double(r.rounds) * latency, "model seconds \(r.modelSeconds)")
    }

    /// Plain Picard error of `rm-parallel` contracts geometrically with the rounds on a Gaussian target,
    /// and the Newton-corrected iteration solves it in one round.
    ///
    /// On `N(0, v I)` the noise prediction is linear in `y = x/α` with slope `ς/(v + ς²)`. A round maps
    /// the error of the sub-step states through the window's linear operator, whose size is at most the
    /// integral of that slope over the window, `½ ln((v + ς₀²)/(v + ςₙ²))`. The fit of log(error)
    /// against the round index must be a clear contraction and not slower than that bound.
    @Test func picardErrorContractsGeometrically() throws {
        let variance = 1.0
        let target = try GaussianMixtureTarget(mean: [0, 0, 0], covariance: .isotropic(variance))
        let window = 6
        var options = DiffusionRunOptions(particles: 8, seed: 3)
        options.cost = .steps(window)
        options.gridKind = .uniformTau
        options.horizon = 1.0
        options.earlyStop = 0.4
        options.denoise = false
        let exact = try DiffusionRun.run(RandomizedMidpointSampler(), model: target, options: options).samples
        var errors: [Double] = []
        for rounds in 1...6 {
            let sampler = RandomizedMidpointParallelSampler(windowSteps: window, stop: PicardStopRule(maxRounds: rounds),
                                                            jacobianVariance: nil)
            let out = try DiffusionRun.run(sampler, model: target, options: options).samples
            errors.append(zip(out.storage, exact.storage).map { abs($0 - $1) }.max()!)
        }
        // With the Newton correction, whose Jacobian ς/(1 + ς²) is exact for N(0, I), one round solves the
        // window to rounding: the flow is affine and the correction removes all of it.
        let newton = RandomizedMidpointParallelSampler(windowSteps: window, stop: PicardStopRule(maxRounds: 1), jacobianVariance: 1)
        let solved = try DiffusionRun.run(newton, model: target, options: options).samples
        #expect(zip(solved.storage, exact.storage).map { abs($0 - $1) }.max()! < 1e-12)
        let xs = (0..<errors.count).map(Double.init), ys = errors.map { log($0) }
        let slope = LeastSquares.slope(xs, ys)
        let rate = exp(slope)
        let (v0, v1) = (ForwardProcess.noiseToSignal(1.0), ForwardProcess.noiseToSignal(0.4))
        let bound = 0.5 * log((variance + v0 * v0) / (variance + v1 * v1))
        #expect(rate < 1, "errors \(errors)")
        #expect(rate <= bound, "fitted contraction \(rate) per round, bound \(bound); errors \(errors)")
    }
}

@Suite struct ParallelCorrectorTests {
    /// With M rounds the Picard-solved correction equals the sequential ULMC run on the same noise
    /// (same streams): compare `rm-pc` (two corrections on 8 steps: after steps 4 and 8, three sub-steps
    /// each) with `rm-parallel` using windows of 4 steps, iterated to its fixed point, and the same corrector.
    @Test func parallelPredictorCorrectorEqualsSequentialRMPC() throws {
        let target = BuiltinTarget.mixture64.make()
        var options = DiffusionRunOptions(particles: 32, seed: 12)
        options.cost = .steps(8)
        let corrector = LangevinCorrector(steps: 3, timeScale: 0.5, frictionScale: 1)
        let sequential = try DiffusionRun.run(RandomizedMidpointPCSampler(corrections: 2, correctorRatio: 0, corrector: corrector),
                                              model: target, options: options)
        let parallel = RandomizedMidpointParallelSampler(windowSteps: 4, windowSpan: nil,
                                                         stop: PicardStopRule(maxRounds: 8, tolerance: 0),
                                                         corrector: corrector)
        let result = try DiffusionRun.run(parallel, model: target, options: options)
        let worst = zip(sequential.samples.storage, result.samples.storage).map { abs($0 - $1) / max(1, abs($0)) }.max()!
        #expect(worst < 1e-10, "largest relative difference \(worst)")
        // Two windows: 8 predictor rounds each and 3 corrector rounds each, plus denoising.
        #expect(result.rounds == 2 * (8 + 3) + 1)
    }
}

/// Counts a model's batched calls (`willScoreBatch`) and chunk calls (`score`), with their rows.
final class CallCounter: Sendable {
    let state = Mutex<(batches: Int, batchRows: Int, chunks: Int, chunkRows: Int)>((0, 0, 0, 0))
}

/// A score model that counts its calls into a ``CallCounter`` and forwards them to `base`.
struct CountingModel: ScoreModel {
    let base: any ScoreModel
    let counter: CallCounter
    var dimension: Int { base.dimension }

    func willScoreBatch(rows: Int) {
        counter.state.withLock { $0.batches += 1; $0.batchRows += rows }
        base.willScoreBatch(rows: rows)
    }

    func score(times: UnsafeBufferPointer<Double>, x: MatrixView, into scores: MutableMatrixView) {
        counter.state.withLock { $0.chunks += 1; $0.chunkRows += x.rows }
        base.score(times: times, x: x, into: scores)
    }
}
