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

    @Option(name: .long, parsing: .unconditional, help: "Early-stopping time δ (0 < δ < T; default: the sampler's own, 0.001, except rm-ms with denoising below 16 NFE: 10^(-3.9 + 14/NFE), at most 0.1).")
    var earlyStop: Double?

    @Option(name: .long, help: "Time grid: \(TimeGrid.Kind.allCases.map(\.rawValue).joined(separator: ", ")) (default: the sampler's own).")
    var grid: TimeGrid.Kind?

    @Flag(name: .long, inversion: .prefixedNo, help: "Finish with one Tweedie denoising step (1 NFE).")
    var denoise: Bool = true

    @OptionGroup(title: "Corrector tuning (\(SamplerRegistry.readers(of: "corrector-time").joined(separator: ", ")); a sampler refuses a flag it does not read)") var correction: CorrectorOptions

    @OptionGroup(title: "Parallel-in-time tuning (\(SamplerRegistry.readers(of: "picard-tolerance").joined(separator: ", ")))") var picard: PicardOptions

    @Option(name: .long, help: "rm-ms: how the last two evaluations are extended across a step, linear (in σ/α) or log (in ln σ/α) (default \(RandomizedMultistepSampler().interpolant.rawValue)).")
    var interpolant: MultistepInterpolant?

    @Option(name: .long, help: "rm-ms: the prediction it integrates, noise (ε̂ against σ/α) or data (x̂₀ against α/σ) (default \(RandomizedMultistepSampler().prediction.rawValue)).")
    var prediction: MultistepPrediction?

    @Option(name: .long, parsing: .unconditional, help: "Add this many milliseconds to every batched score call, as a remote or GPU model would (default 0).")
    var latency: Double = 0

    func validate() throws {
        guard particles >= 2 else { throw ValidationError("--particles must be at least 2 (got \(particles)): moment errors need two samples") }
        try Self.require(particles, in: DiffusionRunOptions.particlesRange, flag: "--particles")
        try Self.require(threads, in: DiffusionRunOptions.threadsRange, flag: "--threads")
        guard horizon.isFinite, horizon > 0 else { throw ValidationError("--horizon must be finite and > 0 (got \(horizon))") }
        if let earlyStop, !(earlyStop.isFinite && earlyStop > 0 && earlyStop < horizon) {
            throw ValidationError("--early-stop must satisfy 0 < δ < T = \(horizon) (got \(earlyStop))")
        }
        // --latency is in milliseconds, the library's range in seconds.
        let milliseconds = (LatencyBoundModel.latencyRange.lowerBound * 1000)...(LatencyBoundModel.latencyRange.upperBound * 1000)
        guard latency.isFinite, milliseconds.contains(latency) else {
            throw ValidationError("--latency must be in \(milliseconds) milliseconds (got \(latency))")
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

    /// The tuning flags given, as settings under the samplers' keys (``SamplerSettings``).
    var settings: [String: SettingValue] {
        var values = correction.settings.merging(picard.settings) { a, _ in a }
        values["interpolant"] = interpolant.map { .text($0.rawValue) }
        values["prediction"] = prediction.map { .text($0.rawValue) }
        return values
    }

    /// The sampler called `name` with the tuning flags applied, checked: a flag the sampler does not read
    /// is refused, naming the samplers that do. Called from the commands' `validate()`.
    func sampler(named name: String) throws -> any DiffusionSampler {
        do { return try SamplerRegistry.sampler(named: name).tuned(settings) } catch {
            throw ValidationError(Self.message(for: error))
        }
    }

    /// The samplers called `names`, each with the tuning flags it reads; a flag that none of them reads is
    /// refused, naming the samplers that do.
    func samplers(named names: [String]) throws -> [(name: String, sampler: any DiffusionSampler)] {
        let given = settings
        do {
            let chosen = try names.map { try SamplerRegistry.sampler(named: $0) }
            let read = chosen.map { $0.readOverrides(given) }
            if let unread = given.keys.sorted().first(where: { key in !read.contains { $0[key] != nil } }) {
                throw SamplingError.unreadSetting(sampler: names.joined(separator: ", "), key: unread,
                                                  readers: SamplerRegistry.readers(of: unread))
            }
            return try zip(chosen, read).map { sampler, own in (sampler.name, try sampler.tuned(own)) }
        } catch let error as SamplingError { throw ValidationError(Self.message(for: error)) }
    }

    /// A sampler's refusal in the words of the flags.
    static func message(for error: SamplingError) -> String {
        switch error {
        case let .unreadSetting(sampler, key, readers):
            "--\(key) is not read by \(sampler)" + (readers.isEmpty ? "" : "; the samplers that read it: \(readers.joined(separator: ", "))")
        case let .invalidSetting(sampler, key, value, allowed): "--\(key) \(value) is invalid for \(sampler): \(allowed)"
        default: error.description
        }
    }

    /// The subject of `--target`, `--model` or `--model-url`, checked to fit in memory (a served model is
    /// connected and checked against its card here).
    func subject(target: String?, model: String?, remote: RemoteModelOptions? = nil) throws -> SamplingSubject {
        try SamplingSubject.resolve(target: target, model: model, remote: remote, particles: particles)
    }

    /// The target as the samplers see it: with `--latency`, every batched call pays the delay.
    func model(for target: any ScoreModel) -> any ScoreModel {
        latency > 0 ? LatencyBoundModel(target, latency: latency / 1000) : target
    }

    /// The settings that identify a run's samples (for its provenance file; `merge` compares them): the
    /// sampler's own (``DiffusionSampler/provenance``) and the run's, all but `--threads` and `--latency`,
    /// which never change the samples.
    /// `earlyStop` is the δ the run ended at (a sampler's own may depend on the budget), so that `evaluate`
    /// measures undenoised samples there.
    func provenance(sampler: any DiffusionSampler, subject: String, cost: String, earlyStop: Double) -> [String: String] {
        var run = sampler.provenance
        for (key, value) in ["subject": subject, "cost": cost, "seed": "\(seed)", "horizon": "\(horizon)",
                             "early_stop": "\(earlyStop)", "grid": grid?.rawValue ?? "default", "denoise": "\(denoise)"] {
            run[key] = value
        }
        return run
    }

    /// Library options for a run of this cost.
    func diffusionOptions(cost: DiffusionRunOptions.Cost) -> DiffusionRunOptions {
        DiffusionRunOptions(particles: particles, seed: seed, cost: cost, horizon: horizon, earlyStop: earlyStop, gridKind: grid,
                            denoise: denoise, threads: threads)
    }
}
