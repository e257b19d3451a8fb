import ArgumentParser
import Foundation
import Midpoint

/// `midpoint sample`: run one sampler on one target and report cost and error.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample a target with one sampler; print NFE, rounds, wall time and moment errors.",
        discussion: """
            Starts N particles from N(0, I) at τ = T, integrates down to δ, optionally denoises, and \
            compares the sample mean and covariance with the target's exact ones. The same --seed gives \
            bit-identical samples for any --threads.
            """
    )

    @Option(name: .long, help: "A built-in target name (see `midpoint targets`) or a JSON target file.")
    var target: String = "mixture64"

    @Option(name: .long, help: "Sampler: \(SamplerRegistry.names.joined(separator: ", ")).")
    var sampler: String = "ddim"

    @Option(name: .long, help: "Number of grid steps (ignored when --nfe is given).")
    var steps: Int = 50

    @Option(name: .long, help: "NFE budget per particle instead of --steps (denoising step included).")
    var nfe: Int?

    @Option(name: .long, help: "Number of particles.")
    var particles: Int = 10_000

    @Option(name: .long, help: "Seed for every random stream (a non-negative integer).")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Worker threads (default: all cores); results do not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Horizon T where sampling starts from N(0, I).")
    var horizon: Double = 8

    @Option(name: .long, help: "Early-stopping time δ (0 < δ < T).")
    var earlyStop: Double = 1e-3

    @Option(name: .long, help: "Time grid: \(TimeGrid.Kind.allCases.map(\.rawValue).joined(separator: ", ")) (default: the sampler's own).")
    var grid: String?

    @Flag(name: .long, inversion: .prefixedNo, help: "Finish with one Tweedie denoising step (1 NFE).")
    var denoise: Bool = true

    @Option(name: .long, help: "Write the samples to this .npy file (N × d, float64).")
    var output: String?

    func validate() throws {
        guard particles >= 2 else { throw ValidationError("--particles must be at least 2 (got \(particles)): moment errors need two samples") }
        guard particles <= 100_000_000 else { throw ValidationError("--particles must be at most 100000000 (got \(particles))") }
        guard (1...1_000_000).contains(steps) else { throw ValidationError("--steps must be in 1...1000000 (got \(steps))") }
        if let nfe, nfe < 1 { throw ValidationError("--nfe must be at least 1 (got \(nfe))") }
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be in 1...1024 (got \(threads))") }
        guard horizon.isFinite, horizon > 0 else { throw ValidationError("--horizon must be finite and > 0 (got \(horizon))") }
        guard earlyStop.isFinite, earlyStop > 0, earlyStop < horizon else {
            throw ValidationError("--early-stop must satisfy 0 < δ < T = \(horizon) (got \(earlyStop))")
        }
        if let grid, TimeGrid.Kind(rawValue: grid) == nil { throw ValidationError(TimeGridError.unknownKind(grid).description) }
        if let output, !output.hasSuffix(".npy") { throw ValidationError("--output must name a .npy file (got '\(output)')") }
    }

    func run() throws {
        let exact = try TargetSpec.resolve(target)
        // Each batch matrix holds particles × d doubles and a run keeps a few of them.
        guard particles * exact.dimension <= 250_000_000 else {
            throw ValidationError("--particles \(particles) × dimension \(exact.dimension) is too large: at most 250000000 values (2 GB) per batch")
        }
        let chosen = try SamplerRegistry.sampler(named: sampler)
        var options = DiffusionRunOptions(particles: particles, seed: seed)
        options.cost = nfe.map { .nfe($0) } ?? .steps(steps)
        options.horizon = horizon
        options.earlyStop = earlyStop
        options.gridKind = grid.map { TimeGrid.Kind(rawValue: $0)! }
        options.denoise = denoise
        options.threads = threads
        BLAS.setThreadCount(1)
        let reporter = ProgressReporter(label: "\(chosen.name) on \(target)")
        let result = try DiffusionRun.run(chosen, model: exact, options: options, progress: reporter.update)
        reporter.finish()
        let errors = MomentErrors(samples: result.samples, mean: exact.mean(tau: 0), covariance: exact.covariance(tau: 0))
        let floor = exactNoiseFloor(exact)
        var table = Table(columns: ["target", "sampler", "steps", "NFE", "rounds", "particles", "seconds",
                                    "mean error", "cov rel error", "mean floor", "cov floor"])
        table.append([.text(target), .text(chosen.name), .integer(result.grid.steps), .number(result.nfe),
                      .integer(result.rounds), .integer(particles), .number(result.seconds),
                      .number(errors.meanError), .number(errors.covarianceError),
                      .number(floor.meanError), .number(floor.covarianceError)])
        print(table.formatted(), terminator: "")
        if let output {
            try NPY.write(NPYArray(shape: [particles, exact.dimension], values: result.samples.storage), to: output)
            print("wrote \(particles)×\(exact.dimension) samples to \(output)")
        }
    }

    /// The same errors for `particles` exact draws from the target (an independent seed): the noise
    /// floor below which a sampler's error cannot be told from sampling error.
    func exactNoiseFloor(_ exact: any ExactTarget) -> MomentErrors {
        let noise = NoiseSource(seed: seed ^ 0x9E37_79B9_7F4A_7C15, chunks: RowChunks(threads: threads))
        let reference = exact.sample(tau: 0, count: particles, noise: noise)
        return MomentErrors(samples: reference, mean: exact.mean(tau: 0), covariance: exact.covariance(tau: 0))
    }
}
