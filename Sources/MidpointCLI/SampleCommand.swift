import ArgumentParser
import Foundation
import Midpoint

/// `midpoint sample`: run one sampler on one target and report cost and error.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample a target with one sampler; print NFE, rounds, wall time and errors.",
        discussion: """
            Starts N particles from N(0, I) at τ = T, integrates down to δ, optionally denoises, and \
            measures the samples against the target (every metric beside its noise floor: the same \
            metric for as many exact samples). The same --seed gives bit-identical samples for any \
            --threads; --output writes exactly the samples that were measured.
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

    @OptionGroup var common: RunOptions

    @Option(name: .long, help: "Write the samples to this .npy file (N × d, float64).")
    var output: String?

    func validate() throws {
        guard (1...1_000_000).contains(steps) else { throw ValidationError("--steps must be in 1...1000000 (got \(steps))") }
        if let nfe, nfe < 1 { throw ValidationError("--nfe must be at least 1 (got \(nfe))") }
        if let output, !output.hasSuffix(".npy") { throw ValidationError("--output must name a .npy file (got '\(output)')") }
    }

    func run() throws {
        let exact = try common.loadTarget(target)
        let chosen = try common.sampler(named: sampler)
        BLAS.setThreadCount(1)
        let reporter = ProgressReporter(label: "\(chosen.name) on \(target)")
        let result = try DiffusionRun.run(chosen, model: common.model(for: exact), options: common.diffusionOptions(cost: nfe.map { .nfe($0) } ?? .steps(steps)),
                                          progress: reporter.update)
        reporter.finish()
        var cost = Table(columns: ["target", "sampler", "steps", "NFE", "rounds", "particles", "seconds", "model %"])
        cost.append([.text(target), .text(chosen.name), .integer(result.grid.steps), .number(result.nfe),
                     .integer(result.rounds), .integer(common.particles), .number(result.seconds),
                     .number(100 * result.modelSeconds / result.seconds)])
        print(cost.formatted(), terminator: "")
        let suite = MetricSuite(target: exact, particles: common.particles, seed: common.seed, threads: common.threads)
        var errors = Table(columns: ["metric", "value", "noise floor"])
        for m in suite.evaluate(result.samples) { errors.append([.text(m.name), .number(m.value), .number(m.floor)]) }
        print(errors.formatted(), terminator: "")
        if let output {
            try NPY.write(NPYArray(shape: [common.particles, exact.dimension], values: result.samples.storage), to: output)
            print("wrote \(common.particles)×\(exact.dimension) samples to \(output)")
        }
    }
}
