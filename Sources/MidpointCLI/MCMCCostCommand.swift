import ArgumentParser
import Foundation
import Midpoint

/// `midpoint mcmc-cost`: gradient evaluations to reach a W2 tolerance on an ill-conditioned Gaussian.
struct MCMCCostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcmc-cost",
        abstract: "Gradient evaluations each log-concave sampler needs to bring W2 to a Gaussian target under a tolerance.",
        discussion: """
            Target: N(0, diag(λ)) with λ log-spaced in [1/κ, 1] (scale 1, condition number κ; L = κ, m = 1). \
            Every sampler is rotation-equivariant, so this is the same problem as the rotated built-in \
            gaussian100 (d = 100, κ = 100). Every chain starts at x = (1, …, 1), v ~ N(0, I) (a point mass \
            one standard deviation of the widest direction away from the mean), so the slow directions \
            must contract. After every step the error is the W2 \
            between the chains' per-coordinate Gaussian fit and the target — the law is exactly Gaussian \
            with diagonal covariance for ula and ulmc (linear maps of Gaussian noise, independent \
            coordinates), and its Gaussian fit for the randomized and Metropolis samplers — with the \
            sampling noise of C chains subtracted: W2² = Σᵢ (m̂ᵢ² - ŝᵢ²/C) + Σᵢ ((ŝᵢ - √λᵢ)² - ŝᵢ²/(2C)). \
            For each sampler, step sizes of 1/4, 1/2, 1, 2 and 4 times its default (--scales) and (kinetic samplers) \
            frictions 2√m, 2(mL)^¼ and 2√L are tried; the table gives the fewest gradient evaluations per \
            chain at which W2 first falls under the tolerance, and the setting that achieved it (a setting is \
            abandoned once it costs more than the best so far).
            """
    )

    @Option(name: .long, parsing: .unconditional, help: "Dimension d.")
    var dimension: Int = 100

    @Option(name: .long, parsing: .unconditional, help: "Condition number κ.")
    var condition: Double = 100

    @Option(name: .long, parsing: .unconditional, help: "W2 tolerance, in units of the target's scale (1).")
    var tolerance: Double = 0.1

    @Option(name: .long, parsing: .unconditional, help: "Chains per run.")
    var chains: Int = 10_000

    @Option(name: .long, help: "Comma-separated samplers.", transform: CommaList<String>.parse)
    var samplers = CommaList(MCMCSamplerRegistry.names)

    @Option(name: .long, help: "Comma-separated multiples of each sampler's default step size to try.", transform: CommaList<Double>.parse)
    var scales = CommaList([0.25, 0.5, 1, 2, 4])

    @Option(name: .long, parsing: .unconditional, help: "Give up on a setting after this many gradient evaluations per chain.")
    var maxGradients: Double = 4000

    @Option(name: .long, parsing: .unconditional, help: "Seed for every random stream.")
    var seed: UInt64 = 0

    @Option(name: .long, parsing: .unconditional, help: "Worker threads (default: all cores); results do not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Write every tried setting to this .csv file.")
    var csv: String?

    func validate() throws {
        guard (1...10_000).contains(dimension) else { throw ValidationError("--dimension must be in 1...10000 (got \(dimension))") }
        guard condition.isFinite, condition >= 1, condition <= 1e8 else { throw ValidationError("--condition must be in [1, 1e8] (got \(condition))") }
        guard tolerance.isFinite, tolerance > 0 else { throw ValidationError("--tolerance must be finite and > 0 (got \(tolerance))") }
        guard (100...1_000_000).contains(chains) else { throw ValidationError("--chains must be in 100...1000000 (got \(chains))") }
        guard maxGradients.isFinite, maxGradients >= 1 else { throw ValidationError("--max-gradients must be ≥ 1 (got \(maxGradients))") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be in 1...256 (got \(threads))") }
        try scales.requirePositive(flag: "--scales")
        try OutputPathOption.check(csv, flag: "--csv", suffix: ".csv")
        try samplers.require(oneOf: MCMCSamplerRegistry.names, flag: "--samplers", what: "sampler")
    }

    func run() throws {
        BLAS.setThreadCount(1)
        let study = MCMCCostStudy(dimension: dimension, condition: condition, tolerance: tolerance, chains: chains,
                                  samplers: samplers.items, scales: scales.items, maxGradients: maxGradients, seed: seed,
                                  threads: threads)
        let progress = ProgressReporter()
        let trials = try study.run { progress.status($0) }
        progress.clear()
        print("N(0, diag(λ)), d = \(dimension), λ log-spaced in [\(1 / condition), 1], \(chains) chains from (1, …, 1); W2 of the Gaussian fit, sampling noise subtracted")
        print(study.bestTable(trials).formatted(), terminator: "")
        if let csv { try AtomicFile.write(study.trialTable(trials).csv(), to: csv) }
    }
}
