import ArgumentParser
import Foundation
import Midpoint

/// `midpoint mcmc`: sample a log-concave target with many chains and report the posterior summary.
struct MCMCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcmc",
        abstract: "Sample a log-concave target (π ∝ e^{-f}) with many chains; print a posterior summary with R-hat and ESS.",
        discussion: """
            Built-in potentials: \(BuiltinPotential.names.joined(separator: ", ")); or a JSON file \
            ({"kind": "gaussian", "mean": [...], "covariance": [[...]]} or {"kind": "logistic", "data": \
            "file.csv", "label": "y", "prior_scale": 1}).

            Defaults derived from the potential's smoothness L (the Lipschitz constant of ∇f) and strong \
            convexity m: friction γ = 2√m (critical damping of the slowest direction; 2√L if m is unknown); \
            step size ula 0.1/L, mala 0.5/L, ulmc 0.1/√L, rm-ulmc, rm-ulmc-pc and \
            rm-ulmc-parallel 0.5/√L; the rm-ulmc-pc corrector runs 1 ULMC step of 0.1/√L from a fresh \
            velocity every ⌈1/(√m h)⌉ predictor steps (m the strong convexity); rm-ulmc-parallel uses 4 strata and 3 Picard rounds per step.

            Chains start at N(0, I) draws. The summary has, per parameter, the mean, sd, 5%/50%/95% \
            quantiles, rank-normalized split R-hat (want < 1.01) and bulk and tail ESS, computed as ArviZ \
            does; below it the cost: gradient evaluations per chain (warm-up included), rounds \
            (sequential batched evaluations) and the smallest bulk ESS per gradient evaluation. The same \
            --seed gives the same draws for any --threads.
            """
    )

    @Option(name: .long, help: "A built-in potential name or a JSON potential file.")
    var potential: String = "gaussian100"

    @Option(name: .long, help: "Sampler: \(MCMCSamplerRegistry.names.joined(separator: ", ")).")
    var sampler: String = "rm-ulmc"

    @Option(name: .long, parsing: .unconditional, help: "Number of chains, run as one batch.")
    var chains: Int = 4

    @Option(name: .long, parsing: .unconditional, help: "Draws kept per chain, after warm-up and thinning.")
    var draws: Int = 1000

    @Option(name: .long, parsing: .unconditional, help: "Warm-up steps per chain (discarded).")
    var warmup: Int = 1000

    @Option(name: .long, parsing: .unconditional, help: "Keep every k-th step after warm-up.")
    var thin: Int = 1

    @Option(name: .long, parsing: .unconditional, help: "Step size h (default from the smoothness; see above).")
    var stepSize: Double?

    @Option(name: .long, parsing: .unconditional, help: "Friction γ for kinetic samplers (default 2√m, or 2√L if m is unknown).")
    var friction: Double?

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-pc: predictor steps per correction (default ⌈1/(√m h)⌉, m the strong convexity).")
    var correctorWindow: Int?

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-pc: ULMC steps per correction.")
    var correctorSteps: Int = 1

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-pc: corrector step size (default 0.1/√L).")
    var correctorStepSize: Double?

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-parallel: stratified midpoints per step.")
    var strata: Int = 4

    @Option(name: .long, parsing: .unconditional, help: "rm-ulmc-parallel: Picard rounds per step.")
    var rounds: Int = 3

    @Option(name: .long, parsing: .unconditional, help: "Seed for every random stream (a non-negative integer).")
    var seed: UInt64 = 0

    @Option(name: .long, parsing: .unconditional, help: "Worker threads (default: all cores); results do not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Write the draws to this .npy file (chains × draws × d, float64).")
    var output: String?

    @Option(name: .long, help: "Write the full summary table to this .csv file.")
    var summary: String?

    @Option(name: .long, help: "A reference posterior .csv (columns parameter, mean, sd) to compare the means and sds with.")
    var reference: String?

    @Option(name: .long, parsing: .unconditional, help: "Most parameters to print (the --summary file has all).")
    var maxRows: Int = 40

    func validate() throws {
        guard (2...100_000).contains(chains) else { throw ValidationError("--chains must be in 2...100000 (got \(chains)); R-hat needs two") }
        guard (4...10_000_000).contains(draws) else { throw ValidationError("--draws must be in 4...10000000 (got \(draws))") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be ≥ 0 (got \(warmup))") }
        guard thin >= 1 else { throw ValidationError("--thin must be ≥ 1 (got \(thin))") }
        try RunOptions.require(stepSize, in: MCMCParameterRanges.stepSize, flag: "--step-size")
        try RunOptions.require(friction, in: MCMCParameterRanges.friction, flag: "--friction")
        if let correctorStepSize, !(correctorStepSize.isFinite && correctorStepSize > 0) {
            throw ValidationError("--corrector-step-size must be finite and > 0 (got \(correctorStepSize))")
        }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be in 1...256 (got \(threads))") }
        guard maxRows >= 0 else { throw ValidationError("--max-rows must be ≥ 0 (got \(maxRows))") }
        try OutputPathOption.check(output, flag: "--output", suffix: ".npy")
        try OutputPathOption.check(summary, flag: "--summary", suffix: ".csv")
        guard MCMCSamplerRegistry.names.contains(sampler) else {
            throw ValidationError(MCMCError.unknownSampler(sampler, available: MCMCSamplerRegistry.names).description)
        }
    }

    func run() throws {
        BLAS.setThreadCount(1)
        let target: any Potential
        do { target = try PotentialSpec.load(potential) } catch { throw ValidationError(error.description) }
        var parameters = MCMCSamplerRegistry.Parameters()
        parameters.stepSize = stepSize
        parameters.friction = friction
        parameters.correctorWindow = correctorWindow
        parameters.correctorSteps = correctorSteps
        parameters.correctorStepSize = correctorStepSize
        parameters.strata = strata
        parameters.rounds = rounds
        let chosen: any MCMCSampler
        do { chosen = try MCMCSamplerRegistry.sampler(named: sampler, for: target, parameters: parameters) } catch {
            throw ValidationError(error.description)
        }
        var options = MCMCOptions(chains: chains, draws: draws, warmup: warmup, seed: seed)
        options.thin = thin
        options.threads = threads
        let reporter = ProgressReporter(label: "\(sampler) on \(potential)")
        let result: MCMCResult
        do { result = try MCMCRun.run(chosen, potential: target, options: options, progress: reporter.update) } catch {
            reporter.finish()
            throw ValidationError(error.description)
        }
        reporter.finish()
        let d = target.dimension
        let done = ProgressReporter.stage("computing R-hat, ESS and quantiles for \(d) parameters", after: result.seconds)
        let summaryTable = PosteriorSummary(names: target.parameterNames, draws: (0..<d).map { result.chainsOfCoordinate($0) },
                                            gradientEvaluationsPerChain: result.gradientEvaluations)
        done()
        print(target.summary)
        var shown = summaryTable.table
        let hidden = max(shown.rows.count - maxRows, 0)
        shown.rows = Array(shown.rows.prefix(maxRows))
        print(shown.formatted(), terminator: "")
        if hidden > 0 { print("… \(hidden) more parameters (write them all with --summary FILE.csv)") }
        let rhats = summaryTable.rows.map(\.rHat)
        var cost = Table(columns: ["sampler", "step size", "chains", "draws", "grad evals/chain", "rounds", "seconds",
                                   "max R-hat", "min ESS bulk", "ESS/grad", "accept"])
        cost.append([.text(chosen.name), .number(chosen.stepSize), .integer(chains), .integer(draws), .number(result.gradientEvaluations),
                     .integer(result.rounds), .number(result.seconds), .number(rhats.max() ?? .nan),
                     .number(summaryTable.rows.map(\.essBulk).min() ?? .nan), .number(summaryTable.minimumBulkESSPerGradient),
                     result.acceptanceRate.map { .number($0) } ?? .text("-")])
        print(cost.formatted(), terminator: "")
        if let reference { try compare(summaryTable, with: reference) }
        if let summary {
            try AtomicFile.write(summaryTable.table.csv(), to: summary)
        }
        if let output {
            try NPY.write(NPYArray(shape: [chains, draws, d], values: result.draws), to: output)
            print("wrote \(chains)×\(draws)×\(d) draws to \(output)")
        }
    }

    /// Prints the largest standardized differences of the means and sds from a reference posterior.
    func compare(_ summary: PosteriorSummary, with path: String) throws {
        let table: Table
        let values: (rows: Int, values: [Double])
        do {
            table = try Table.readCSV(contentsOf: path)
            values = try table.numericColumns(["mean", "sd"])
        } catch { throw ValidationError("cannot use reference '\(path)': \(error)") }
        guard let nameColumn = table.columns.firstIndex(of: "parameter") else {
            throw ValidationError("reference '\(path)' has no 'parameter' column")
        }
        var worstMean = (0.0, ""), worstSD = (0.0, "")
        var matched = 0
        for (i, row) in table.rows.enumerated() {
            guard let r = summary.rows.first(where: { $0.name == row[nameColumn].description }) else { continue }
            matched += 1
            let (mean, sd) = (values.values[2 * i], values.values[2 * i + 1])
            let dm = abs(r.mean - mean) / sd, ds = abs(r.sd / sd - 1)
            if dm > worstMean.0 { worstMean = (dm, r.name) }
            if ds > worstSD.0 { worstSD = (ds, r.name) }
        }
        guard matched == summary.rows.count else {
            throw ValidationError("reference '\(path)' names \(matched) of the \(summary.rows.count) parameters")
        }
        print(String(format: "vs reference: max |mean - ref| / ref sd = %.3f (%@), max |sd / ref sd - 1| = %.3f (%@)",
                     worstMean.0, worstMean.1, worstSD.0, worstSD.1))
    }
}
