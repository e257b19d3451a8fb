import Foundation
import MidpointDiffusion
import MidpointLinearAlgebra
import Testing

@Suite struct ParallelSamplerTests {
    /// With enough rounds (2n per window of n steps: each round makes one more state exact) and no
    /// early stop, Picard reaches its fixed point, which is sequential `rm` with the same midpoints.
    @Test(arguments: ["mixture64", "ring2d"])
    func rmParallelEqualsSequentialRM(targetName: String) throws {
        let target = BuiltinTarget(rawValue: targetName)!.make()
        var options = DiffusionRunOptions(particles: 64, seed: 17)
        options.cost = .steps(12)
        let sequential = try DiffusionRun.run(RandomizedMidpointSampler(), model: target, options: options)
        let window = 5
        let parallel = RandomizedMidpointParallelSampler(windowSteps: window, stop: PicardStopRule(maxRounds: 2 * window, tolerance: 0))
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
