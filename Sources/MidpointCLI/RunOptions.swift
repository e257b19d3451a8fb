import ArgumentParser
import Foundation
import Midpoint

/// Options shared by every command that runs diffusion samplers.
struct RunOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Number of particles.")
    var particles: Int = 10_000

    @Option(name: .long, parsing: .unconditional, help: "Seed for every random stream (a non-negative integer).")
    var seed: UInt64 = 0

    @Option(name: .long, parsing: .unconditional, help: "Worker threads (default: all cores); results do not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, parsing: .unconditional, help: "Horizon T where sampling starts from N(0, I); the default is where σ/α = 80 (EDM's σ_max).")
    var horizon: Double = DiffusionRunOptions.defaultHorizon

    @Option(name: .long, parsing: .unconditional, help: "Early-stopping time δ (0 < δ < T).")
    var earlyStop: Double = 1e-3

    @Option(name: .long, help: "Time grid: \(TimeGrid.Kind.allCases.map(\.rawValue).joined(separator: ", ")) (default: the sampler's own).")
    var grid: TimeGrid.Kind?

    @Flag(name: .long, inversion: .prefixedNo, help: "Finish with one Tweedie denoising step (1 NFE).")
    var denoise: Bool = true

    @Option(name: .long, parsing: .unconditional, help: "rm-pc: least ULMC sub-steps per correction (default \(LangevinCorrector().steps)); rm-parallel: sub-steps per correction.")
    var correctorSteps: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-pc: corrector run time in units of σ(τ) (default \(LangevinCorrector().timeScale)).")
    var correctorTime: Double?

    @Option(name: .long, parsing: .unconditional, help: "rm-pc: corrector friction in units of 1/σ(τ) (default \(LangevinCorrector().frictionScale)).")
    var correctorFriction: Double?

    @Option(name: .long, parsing: .unconditional, help: "rm-pc: corrections per run, after evenly spaced grid steps (default \(RandomizedMidpointPCSampler().corrections)).")
    var corrections: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-pc: corrector sub-steps per predictor step; the sub-steps shrink as the grid is refined (default \(RandomizedMidpointPCSampler().correctorRatio)).")
    var correctorRatio: Double?

    @Option(name: .long, help: "rm-pc: the corrector's ULMC step, ei (exponential integrator, 1 NFE) or rm (randomized midpoint, 2 NFE) (default \(LangevinCorrector().integrator.rawValue)).")
    var correctorIntegrator: LangevinIntegrator?

    @Option(name: .long, help: "rm-ms: how the last two evaluations are extended across a step, linear (in σ/α) or log (in ln σ/α) (default \(RandomizedMultistepSampler().interpolant.rawValue)).")
    var interpolant: MultistepInterpolant?

    @Option(name: .long, parsing: .unconditional, help: "paradigms: steps per Picard window (default \(ParaDiGMSSampler().windowSteps)); rm-parallel: windows of this many steps (default: one window over the grid).")
    var picardWindow: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-parallel: windows hold the grid steps within this log-SNR span (default: one window over the grid).")
    var picardSpan: Double?

    @Option(name: .long, parsing: .unconditional, help: "rm-parallel: Picard rounds per window (default: max(5, ⌈n/2⌉) for n steps).")
    var picardRounds: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-parallel, paradigms: Picard tolerance on ‖Δ‖/(√d σ) (defaults 0 and 1e-3; 0 never stops early). An early stop is decided over the whole batch.")
    var picardTolerance: Double?

    @Flag(name: .long, help: "rm-parallel: plain Picard updates (no Newton correction by the Gaussian Jacobian ς/(1+ς²)).")
    var plainPicard = false

    @Flag(name: .long, help: "rm-parallel: correct after each window with the Picard-solved ULMC corrector (uses the --corrector-* settings).")
    var parallelCorrector = false

    @Option(name: .long, help: "paradigms: the iterated sampler, ddim or ddpm (default ddim).")
    var paradigmsBase: ParaDiGMSBase?

    @Option(name: .long, parsing: .unconditional, help: "Add this many milliseconds to every batched score call, as a remote or GPU model would (default 0).")
    var latency: Double = 0

    func validate() throws {
        guard particles >= 2 else { throw ValidationError("--particles must be at least 2 (got \(particles)): moment errors need two samples") }
        guard particles <= 100_000_000 else { throw ValidationError("--particles must be at most 100000000 (got \(particles))") }
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be in 1...1024 (got \(threads))") }
        guard horizon.isFinite, horizon > 0 else { throw ValidationError("--horizon must be finite and > 0 (got \(horizon))") }
        guard earlyStop.isFinite, earlyStop > 0, earlyStop < horizon else {
            throw ValidationError("--early-stop must satisfy 0 < δ < T = \(horizon) (got \(earlyStop))")
        }
        try Self.require(correctorSteps, in: 1...1000, flag: "--corrector-steps")
        try Self.require(correctorTime, in: LangevinCorrector.timeScaleRange, flag: "--corrector-time")
        try Self.require(correctorFriction, in: LangevinCorrector.frictionScaleRange, flag: "--corrector-friction")
        try Self.require(corrections, in: 1...10_000, flag: "--corrections")
        if let correctorRatio, !(correctorRatio.isFinite && (0...100).contains(correctorRatio)) {
            throw ValidationError("--corrector-ratio must be in 0...100 (got \(correctorRatio))")
        }
        try Self.require(picardWindow, in: 1...10_000, flag: "--picard-window")
        try Self.requirePositive(picardSpan, flag: "--picard-span")
        try Self.require(picardRounds, in: 1...10_000, flag: "--picard-rounds")
        if let picardTolerance, !(picardTolerance.isFinite && picardTolerance >= 0) {
            throw ValidationError("--picard-tolerance must be finite and ≥ 0 (got \(picardTolerance))")
        }
        if parallelCorrector, correctorIntegrator == .randomizedMidpoint {
            throw ValidationError("--corrector-integrator rm is for rm-pc; rm-parallel's Picard corrector uses ei")
        }
        guard latency.isFinite, (0...60_000).contains(latency) else {
            throw ValidationError("--latency must be in 0...60000 milliseconds (got \(latency))")
        }
    }

    static func require(_ value: Int?, in range: ClosedRange<Int>, flag: String) throws {
        if let value, !range.contains(value) {
            throw ValidationError("\(flag) must be in \(range.lowerBound)...\(range.upperBound) (got \(value))")
        }
    }

    static func require(_ value: Double?, in range: ClosedRange<Double>, flag: String) throws {
        if let value, !range.contains(value) {
            throw ValidationError("\(flag) must be in \(range.lowerBound)...\(range.upperBound) (got \(value))")
        }
    }

    static func requirePositive(_ value: Double?, flag: String) throws {
        if let value, !(value.isFinite && value > 0) {
            throw ValidationError("\(flag) must be finite and > 0 (got \(value))")
        }
    }

    /// `base` with the `--corrector-*` flags applied.
    func corrector(_ base: LangevinCorrector = LangevinCorrector()) -> LangevinCorrector {
        var c = base
        if let correctorSteps { c.steps = correctorSteps }
        if let correctorTime { c.timeScale = correctorTime }
        if let correctorFriction { c.frictionScale = correctorFriction }
        if let correctorIntegrator { c.integrator = correctorIntegrator }
        return c
    }

    /// The sampler called `name`, with the tuning flags applied.
    func sampler(named name: String) throws -> any DiffusionSampler {
        let base = try SamplerRegistry.sampler(named: name)
        if var pc = base as? RandomizedMidpointPCSampler {
            pc.corrector = corrector(pc.corrector)
            if let corrections { pc.corrections = corrections }
            if let correctorRatio { pc.correctorRatio = correctorRatio }
            return pc
        }
        if var multistep = base as? RandomizedMultistepSampler {
            if let interpolant { multistep.interpolant = interpolant }
            return multistep
        }
        if var parallel = base as? RandomizedMidpointParallelSampler {
            if let picardWindow { parallel.windowSteps = picardWindow; parallel.windowSpan = nil }
            if plainPicard { parallel.jacobianVariance = nil }
            if let picardSpan { parallel.windowSpan = picardSpan }
            if let picardRounds { parallel.stop.maxRounds = picardRounds }
            if let picardTolerance { parallel.stop.tolerance = picardTolerance }
            if parallelCorrector { parallel.corrector = corrector() }
            return parallel
        }
        if var paradigms = base as? ParaDiGMSSampler {
            if let picardWindow { paradigms.windowSteps = picardWindow }
            if let picardTolerance { paradigms.tolerance = picardTolerance }
            if paradigmsBase == .ddpm { paradigms.base = DDPMSampler() }
            return paradigms
        }
        return base
    }

    /// The subject of `--target` or `--model`, checked to fit in memory.
    func subject(target: String?, model: String?) throws -> SamplingSubject {
        try SamplingSubject.resolve(target: target, model: model, particles: particles)
    }

    /// The target as the samplers see it: with `--latency`, every batched call pays the delay.
    func model(for target: any ScoreModel) -> any ScoreModel {
        latency > 0 ? LatencyBoundModel(target, latency: latency / 1000) : target
    }

    /// Library options for a run of this cost.
    func diffusionOptions(cost: DiffusionRunOptions.Cost) -> DiffusionRunOptions {
        var options = DiffusionRunOptions(particles: particles, seed: seed)
        options.cost = cost
        options.horizon = horizon
        options.earlyStop = earlyStop
        options.gridKind = grid
        options.denoise = denoise
        options.threads = threads
        return options
    }
}
