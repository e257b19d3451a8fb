import ArgumentParser
import Foundation
import Midpoint
#if MIDPOINT_REMOTE
import MidpointRemote
#endif

/// `midpoint sample`: run one sampler on one target or learned model and report cost and error.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample a target or a learned model with one sampler; print NFE, rounds, wall time and errors.",
        discussion: """
            Starts N particles from N(0, I) (or --initial) at τ = T, integrates down to δ, optionally denoises, and \
            measures the samples against the target (every metric beside its noise floor: the same \
            metric for as many exact samples). With --model, the score is a network (a shipped model: \
            \(ShippedModel.names.joined(separator: ", ")), or a .safetensors file written by \
            scripts/train_score.py); samples of a shipped model are measured against its held-out data \
            (energy distance and MMD; floor: the same metric between the even and odd held-out rows) or, \
            for ring2d, against the exact target. A distance whose unbiased estimate is negative (closer \
            than the statistic resolves) prints as 0 (clipped). Without the denoising step the samples \
            are measured against the law at δ. \
            The same --seed gives bit-identical samples for any --threads; --output writes exactly the \
            samples that were measured, --png a picture of them.
            """
    )

    @Option(name: .long, help: "A built-in target name (see `midpoint targets`) or a JSON target file (default mixture64; with --model-url, the law the served model's samples are measured against).")
    var target: String?

    @Option(name: .long, help: "A learned score network instead of a target: \(ShippedModel.names.joined(separator: ", ")) or a .safetensors file.")
    var model: String?

    @Option(name: .long, help: "Sampler: \(SamplerRegistry.names.joined(separator: ", ")).")
    var sampler: String = "rm-ms"

    @Option(name: .long, parsing: .unconditional, help: "Number of grid steps (ignored when --nfe is given).")
    var steps: Int = 50

    @Option(name: .long, parsing: .unconditional, help: "NFE budget per particle instead of --steps (denoising step included).")
    var nfe: Int?

    @OptionGroup var common: RunOptions

    @OptionGroup(title: "Served model (Open Inference Protocol)") var remote: RemoteModelOptions

    @OptionGroup(title: "Data range of a model's x̂₀") var range: DataRangeOptions

    @Option(name: .long, help: "Start from these states at τ = T instead of N(0, I) draws: a .npy file of --particles × d values (diffusers' latents). The same file through two samplers (or another library) gives a paired comparison; --seed still drives the samplers' own noise.")
    var initial: String?

    @Option(name: .long, help: "Write the samples to this .npy file (N × d, float64).")
    var output: String?

    @Option(name: .long, help: "Write a picture of the samples to this .png file: a grid of 100 images for image models (digits), a scatter plot for 2-D ones.")
    var png: String?

    @Option(name: .long, help: "Draw only shard i/n of the run (particles [i·N/n, (i+1)·N/n), bit-identical to those rows of the whole run), or auto from a Kubernetes Indexed Job or Slurm array; needs --output. Join shards with `midpoint merge`.", transform: ShardSpec.parse)
    var shard: ShardSpec?

    @Option(name: .long, parsing: .unconditional, help: "The number of shards for --shard auto under a Kubernetes Indexed Job (default: MIDPOINT_SHARD_COUNT).")
    var shardCount: Int?

    /// What validate() resolved, for run(): the subject (files read, dimension known), the sampler with
    /// its tuning, the shard and the picture layout.
    private var subject: SamplingSubject?
    private var chosen: (any DiffusionSampler)?
    private var shardPosition = (index: 0, count: 1)
    private var pictureLayout: SamplingSubject.PictureLayout?
    private var initialStates: Matrix?

    enum CodingKeys: String, CodingKey {
        case target, model, sampler, steps, nfe, common, remote, range, initial, output, png, shard, shardCount
    }

    /// A Picard residual above this is reported as unconverged.
    static let picardResidualWarning = 0.01

    /// The library's options for this run (this shard's particles).
    var runOptions: DiffusionRunOptions {
        let particles = ShardSpec.range(index: shardPosition.index, count: shardPosition.count, particles: common.particles)
        var options = common.diffusionOptions(cost: nfe.map { .nfe($0) } ?? .steps(steps))
        options.particles = particles.count
        options.firstParticle = particles.lowerBound
        return options
    }

    mutating func validate() throws {
        try RunOptions.require(steps, in: DiffusionRunOptions.costRange, flag: "--steps")
        try RunOptions.require(nfe, in: DiffusionRunOptions.costRange, flag: "--nfe")
        try OutputPathOption.check(output, flag: "--output", suffix: ".npy")
        try OutputPathOption.check(png, flag: "--png", suffix: ".png")
        try RunOptions.require(shardCount, in: ShardSpec.countRange, flag: "--shard-count")
        if shard != nil, output == nil { throw ValidationError("--shard needs --output: a shard's samples are only useful in its file") }
        if shardCount != nil, shard != .automatic { throw ValidationError("--shard-count is the count for --shard auto under a Kubernetes Indexed Job") }
        let sampler = try common.sampler(named: sampler)
        if let shard {
            shardPosition = try shard.resolve(environment: ProcessInfo.processInfo.environment, count: shardCount)
            if ShardSpec.range(index: shardPosition.index, count: shardPosition.count, particles: common.particles).isEmpty {
                throw ValidationError("shard \(shardPosition.index)/\(shardPosition.count) of \(common.particles) particles is empty: use fewer shards or more --particles")
            }
            if shardPosition.count > 1, sampler.decidesOverTheBatch {
                throw ValidationError("\(sampler.name) with a Picard tolerance decides over the whole batch, so a shard would not match its rows of the whole run: use --picard-tolerance 0 or no --shard")
            }
        }
        let subject = try common.subject(target: target, model: model, remote: remote)
        try range.check(subject: subject)
        if png != nil { pictureLayout = try subject.pictureLayout() }
        // The budget, the grid's stability and the memory, as the run will check them.
        let options = runOptions
        do { _ = try DiffusionRun.plan(sampler, dimension: subject.dimension, options: options) } catch {
            throw ValidationError(RunOptions.message(for: error))
        }
        // After the run, the metrics (a whole run only; a shard is measured after the merge) hold their own
        // samples beside the run's, and --output a copy.
        let measured = shardPosition.count == 1 ? subject.metricBytes(particles: common.particles) : 0
        let after = measured + (output == nil ? 0 : 8 * Double(options.particles) * Double(subject.dimension))
        let budget = MemoryBudget.current()
        if after > budget.usable {
            throw ValidationError("measuring and writing \(options.particles) samples of dimension \(subject.dimension) would need about \(MemoryBudget.describe(after)) and the run may use \(budget.usableDescription): use fewer --particles, or draw shards (--shard) and measure the merged file with `midpoint evaluate`")
        }
        if let initial { initialStates = try Self.readInitial(initial, particles: common.particles, dimension: subject.dimension, rows: options.firstParticle..<(options.firstParticle + options.particles)) }
        self.subject = subject
        chosen = sampler
    }

    /// Reads `--initial`: finite values of shape particles × dimension — or particles × the sample shape, as
    /// diffusers' latents come (`[N, 1, 28, 28]`) — of which this shard's `rows` start it.
    static func readInitial(_ path: String, particles: Int, dimension: Int, rows: Range<Int>) throws -> Matrix {
        let array = try SamplesFile.resolve(path, ifNonFinite: "a run cannot start there") { shape, _ in
            guard shape.count >= 2, shape[0] == particles, shape.dropFirst().reduce(1, *) == dimension else {
                throw ValidationError("--initial '\(path)' holds \(shape.map(String.init).joined(separator: " × ")) values; this run starts \(particles) particles of dimension \(dimension), so it needs \(particles) × \(dimension)")
            }
        }
        return Matrix(rows: rows.count, columns: dimension, storage: Array(array.values[(rows.lowerBound * dimension)..<(rows.upperBound * dimension)]))
    }

    func run() throws {
        guard let subject, let chosen else { throw CommandFailure("sample ran without validation") }
        let particles = ShardSpec.range(index: shardPosition.index, count: shardPosition.count, particles: common.particles)
        let model = try subject.scoreModel(remote: remote, particles: particles, seed: common.seed)
        let options = runOptions
        #if MIDPOINT_REMOTE
        if let served = model as? RemoteScoreModel {
            let options = served.transport.options
            print("model: \(subject.name) over \(served.transport.wireFormat), requests of at most \(options.maxBatchSize) rows, \(options.inFlight) in flight")
            if let c = served.conditioning {
                print("conditional: classes \(remote.classChoice.map { "\($0)" } ?? "none (null label)"), guidance w = \(c.guidance)" +
                      (c.sendsBothHalves ? "; each evaluation sends both halves in one request (2 model rows per particle; NFE counts evaluations of the guided model, as diffusers counts UNet calls)"
                       + (c.guidanceCeiling.isFinite ? "; guidance below σ/α = \(c.guidanceCeiling.formatted()) only (--guidance-ceiling), where requests above it send the conditional half alone" : "") : ""))
            }
        }
        #endif
        let control = range.control(for: subject.dataRange)
        if let control { print(DataRangeOptions.report(control)) }
        let reporter = ProgressReporter(label: "\(chosen.name) on \(subject.name)")
        let result = try DiffusionRun.run(chosen, model: common.model(for: range.apply(control, to: model, range: subject.dataRange)), options: options,
                                      initial: initialStates, progress: reporter.update)
        reporter.finish()
        if let residual = result.picardResidual {
            // The solver's own stopping measure: RMS change per coordinate, in units of the sub-step's σ/α.
            let converged = residual <= Self.picardResidualWarning
            print("\(converged ? "" : "warning: ")\(chosen.name): the last Picard round changed the states by \(String(format: "%.3g", residual)) (RMS per coordinate over σ/α, largest window)" +
                  (converged ? "" : "; the round cap stopped it unconverged: raise --picard-rounds, or set --picard-tolerance"))
        }
        var cost = Table(columns: ["subject", "sampler", "steps", "NFE", "rounds", "particles", "seconds", "model %"])
        cost.append([.text(subject.name), .text(chosen.name), .integer(result.grid.steps), .number(result.nfe),
                     .integer(result.rounds), .integer(particles.count), .number(result.seconds),
                     .number(100 * result.modelSeconds / result.seconds)])
        print(cost.formatted(), terminator: "")
        // Far means far from the data: for an exact target whose mean is far from the origin, the bound
        // grows with the mean's RMS coordinate (a correctly sampled target at 1e6 is not a divergence).
        let scale = subject.exact.map { target in
            let mean = target.mean(tau: 0)
            return (mean.reduce(0) { $0 + $1 * $1 } / Double(max(mean.count, 1))).squareRoot()
        } ?? 0
        let limit = DiffusionResult.divergenceRMS * max(1, scale)
        let far = result.divergedCount(limit: limit)
        if let range = subject.dataRange {
            let outside = result.offRangeCount(range)
            if outside > 0 {
                print("warning: \(outside) of \(result.samples.rows) samples lie off the data range \(range) (RMS distance outside it above \(0.25 * (range.upperBound - range.lowerBound))): the sampler did not reach the data for them (try more NFE)")
            }
        }
        if far > 0 {
            print("warning: \(far) of \(result.samples.rows) samples have RMS coordinate > \(limit): the sampler diverged for them (its steps are too long at this NFE; try more NFE, rm or rm-ms)")
        }
        // Collapsed samples (copies of each other, or spread far below the target's) are a silent wrong
        // answer: an early stop so small that a learned score memorizes its data, or states that underflow.
        let copies = result.duplicateCount()
        if copies > 0 {
            print("warning: \(copies) of \(result.samples.rows) samples are exact copies of another: the particles collapsed (try --no-denoise or a larger --early-stop; a learned model may be memorizing its data near σ = 0)")
        }
        if let target = subject.exact {
            // The denoising step aims at the law at τ = 0, the last grid step at δ.
            let expected = target.variances(tau: common.denoise ? 0 : result.grid.earlyStop).map { $0.squareRoot() }
            let fraction = result.collapsedCoordinateFraction(expectedStandardDeviations: expected)
            if fraction > 0 {
                print("warning: in \(Int((100 * fraction).rounded()))% of the coordinates the samples spread less than 1/1000 of the target's sd: the particles collapsed (try --no-denoise, a larger --early-stop or more NFE)")
            }
        }
        if shardPosition.count > 1 {
            print("shard \(shardPosition.index)/\(shardPosition.count): particles \(particles.lowerBound)..<\(particles.upperBound) of \(common.particles); join the shards with `midpoint merge` and measure them with `midpoint evaluate`")
        } else if let suite = subject.metrics(particles: common.particles, seed: common.seed, threads: common.threads,
                                              tau: common.denoise ? 0 : result.grid.earlyStop) {
            var errors = Table(columns: ["metric", "value", "noise floor"])
            let done = ProgressReporter.stage("computing the error metrics and their noise floors", after: result.seconds)
            let values = suite.evaluate(result.samples)
            done()
            for m in values { errors.append(m.cells) }
            print(errors.formatted(), terminator: "")
            for note in subject.subsampleNotes(particles: common.particles) { print(note) }
        } else {
            print(remote.isRemote ? "no error metrics: give --target to measure a served model's samples against a known law"
                                  : "no error metrics: the model ships no held-out data and names no built-in target")
        }
        if let output {
            try NPY.write(NPYArray(shape: [particles.count, subject.dimension], values: result.samples.storage), to: output)
            var run = common.provenance(sampler: chosen, subject: subject.name, cost: nfe.map { "nfe \($0)" } ?? "steps \(steps)",
                                        earlyStop: result.grid.earlyStop)
            // A conditional run's classes and guidance are part of what its shards must share.
            if let control { run["x0_control"] = control.description }
            if let initial { run["initial"] = initial }
            if remote.isConditional {
                run["class"] = remote.classChoice?.description ?? "null"
                run["guidance"] = "\(remote.guidance ?? 1)"
                if let w = remote.guidance, w != 0, w != 1 {
                    run["guidance_ceiling"] = "\(remote.guidanceCeiling ?? RemoteModelOptions.defaultGuidanceCeiling)"
                }
            }
            let provenance = ShardProvenance(run: run,
                                             particles: common.particles, firstParticle: particles.lowerBound, count: particles.count,
                                             dimension: subject.dimension)
            try provenance.write(for: output)
            print("wrote \(particles.count)×\(subject.dimension) samples to \(output) (provenance in \(ShardProvenance.path(for: output)))")
        }
        if let png, let pictureLayout {
            let picture = subject.picture(of: result.samples, layout: pictureLayout, seed: common.seed)
            try picture.raster.writePNG(to: png)
            print("wrote \(png): \(picture.caption)")
        }
    }
}
