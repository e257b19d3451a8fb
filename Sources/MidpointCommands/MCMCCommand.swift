import ArgumentParser
import Foundation
import Midpoint

/// `midpoint mcmc`: sample a log-concave target with many chains and report the posterior summary.
struct MCMCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcmc",
        abstract: "Sample a log-concave target (π ∝ e^{-f}) with many chains; print a posterior summary with R-hat and ESS.",
        discussion: """
            Built-in potentials: \(BuiltinPotential.names.joined(separator: ", ")); or a JSON file: a \
            regression model on a CSV ({"kind": "regression", "family": "gaussian|bernoulli|binomial|poisson", \
            "data": "file.csv", "response": "y", "predictors": "all", "priors": {"coefficients": \
            "normal(0, 2.5)"}}; every field in docs/log-concave.md), a Gaussian ({"kind": "gaussian", \
            "mean": [...], "covariance": [[...]]}) or {"kind": "logistic", "data": "file.csv", "label": \
            "y", "prior_scale": 1}. A regression's draws are summarized and written on the data's scale with \
            names (Intercept, b[age], sigma).

            Warm-up adapts the sampler (as Stan does; --no-adapt turns it off). It first finds the mode by \
            L-BFGS and starts the chains from the Laplace approximation there, whose inverse Hessian is the \
            first preconditioner (--no-mode-start: from N(0, I) draws). Over windows of doubling \
            length it refines the preconditioner from the draws (dense up to 200 parameters), then the \
            largest and smallest curvature L̃, m̃ of the preconditioned potential by Lanczos iterations on \
            Hessian-vector products (finite differences of gradients, counted), and sets friction γ = 2√m̃, \
            step size ula 0.4/L̃, mala by dual averaging to acceptance 0.574, ulmc (friction ≥ hL̃ for stability), rm-ulmc, \
            rm-ulmc-pc and rm-ulmc-parallel 0.5/√L̃, and the rm-ulmc-pc corrector (one ULMC step of 0.1/√L̃ \
            from a fresh velocity every ⌈4/(√m̃ h)⌉ steps). It prints what it chose. Flags given explicitly \
            are kept. Without adaptation the same rules use the potential's own bounds L and m.

            After sampling, a Stein check estimates how far each posterior mean (in sd units) and sd is \
            from the target's, from the gradients at the draws: exact on Gaussian posteriors, first-order \
            otherwise. It sees what R-hat and ESS cannot, the bias of an unadjusted sampler whose step is \
            too large; a warning is printed above 0.1.

            The summary has, per parameter, the mean, sd, 5%/50%/95% \
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

    @Option(name: .long, parsing: .unconditional, help: "Draws kept per chain, after warm-up and thinning (a randomized-midpoint draw costs 2 gradients; the default gives thousands of effective draws).")
    var draws: Int = 20_000

    @Option(name: .long, parsing: .unconditional, help: "Warm-up steps per chain (discarded).")
    var warmup: Int = 1000

    @Option(name: .long, parsing: .unconditional, help: "Keep every k-th step after warm-up.")
    var thin: Int = 1

    @OptionGroup(title: "Sampler tuning (by default chosen in warm-up)") var tuning: MCMCTuningOptions

    @Option(name: .long, parsing: .unconditional, help: "Seed for every random stream (a non-negative integer).")
    var seed: UInt64 = 0

    @Option(name: .long, parsing: .unconditional, help: "Worker threads (default: all cores); results do not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Write the draws to this .npy file (chains × draws × d, float64).")
    var output: String?

    @Option(name: .long, help: "Write the full summary table to this .csv file.")
    var summary: String?

    @Option(name: .customLong("draws-csv"), help: "Write the draws as CmdStan does, one CSV per chain (FILE.csv → FILE_1.csv … FILE_C.csv: settings as # comments, a header of parameter names, a row per draw), for ArviZ's from_cmdstan, posterior or cmdstanr.")
    var drawsCSV: String?

    @Option(name: .long, help: "A reference posterior .csv (columns parameter, mean, sd) to compare the means and sds with.")
    var reference: String?

    @Option(name: .long, parsing: .unconditional, help: "Most parameters to print (the --summary file has all).")
    var maxRows: Int = 40

    /// What validate() read, for run(): the potential and the reference posterior.
    private var target: (any Potential)?
    private var referenceMoments: [String: (mean: Double, sd: Double)]?

    enum CodingKeys: String, CodingKey {
        case potential, sampler, chains, draws, warmup, thin, tuning, seed, threads, output, summary, drawsCSV, reference, maxRows
    }

    mutating func validate() throws {
        guard chains >= 2 else { throw ValidationError("--chains must be at least 2 (got \(chains)): R-hat needs two") }
        try RunOptions.require(chains, in: MCMCOptions.chainsRange, flag: "--chains")
        guard draws >= 4 else { throw ValidationError("--draws must be at least 4 (got \(draws)): split R-hat needs two halves of two") }
        try RunOptions.require(draws, in: MCMCOptions.drawsRange, flag: "--draws")
        try RunOptions.require(warmup, in: MCMCOptions.warmupRange, flag: "--warmup")
        try RunOptions.require(thin, in: MCMCOptions.thinRange, flag: "--thin")
        try RunOptions.require(threads, in: MCMCOptions.threadsRange, flag: "--threads")
        if draws.multipliedReportingOverflow(by: thin).overflow || draws * thin > 1_000_000_000_000 {
            throw ValidationError("--draws \(draws) × --thin \(thin) steps per chain is more than 10^12: keep fewer draws or thin less")
        }
        guard maxRows >= 0 else { throw ValidationError("--max-rows must be ≥ 0 (got \(maxRows))") }
        try OutputPathOption.check(output, flag: "--output", suffix: ".npy")
        try OutputPathOption.check(summary, flag: "--summary", suffix: ".csv")
        try OutputPathOption.check(drawsCSV, flag: "--draws-csv", suffix: ".csv")
        if let drawsCSV {
            guard chains <= 1000 else { throw ValidationError("--draws-csv writes one file per chain: at most 1000 chains (got \(chains)); use --output for a single .npy") }
            for c in 1...chains { try OutputPathOption.check(CmdStanCSV.chainPath(drawsCSV, chain: c), flag: "--draws-csv", suffix: ".csv") }
        }
        guard MCMCSamplerRegistry.names.contains(sampler) else {
            throw ValidationError(MCMCError.unknownSampler(sampler, available: MCMCSamplerRegistry.names).description)
        }
        try tuning.check(sampler: sampler)
        let target: any Potential
        do { target = try PotentialSpec.load(potential) } catch { throw ValidationError(error.description) }
        if !tuning.adapt || warmup == 0 {
            // Fail on missing smoothness bounds before any work (warm-up would have estimated them).
            do { _ = try MCMCSamplerRegistry.sampler(named: sampler, for: target, parameters: tuning.parameters) } catch {
                throw ValidationError(error.description)
            }
        }
        // Refuse before any work (and before warm-up) a run whose draws cannot be kept, or then checked:
        // the Stein check holds a centered copy of the draws beside them and their gradients.
        do { try options.checkMemory(dimension: target.dimension) } catch { throw ValidationError(error.description) }
        let after = options.keptBytes(dimension: target.dimension)
            + SteinCheck.estimatedBytes(count: chains * draws, dimension: target.dimension)
        let budget = MemoryBudget.current()
        if after > budget.usable {
            throw ValidationError(MCMCError.insufficientMemory(bytes: after, budget: budget).description)
        }
        if let reference { referenceMoments = try Self.readReference(reference, names: Self.names(of: target)) }
        self.target = target
    }

    /// The run's options.
    var options: MCMCOptions {
        var options = MCMCOptions(chains: chains, draws: draws, warmup: warmup, seed: seed)
        options.thin = thin
        options.threads = threads
        options.recordGradients = true
        return options
    }

    func run() throws {
        guard let target else { throw CommandFailure("mcmc ran without validation") }
        let parameters = tuning.parameters
        let reporter = ProgressReporter(label: "\(sampler) on \(potential)")
        var result: MCMCResult
        do {
            result = try MCMCRun.run(sampler: sampler, potential: target, parameters: parameters, options: options,
                                     adaptation: tuning.adaptation, progress: reporter.update)
        } catch {
            reporter.finish()
            throw CommandFailure(error.description)
        }
        reporter.finish()
        let d = target.dimension
        let done = ProgressReporter.stage("computing R-hat, ESS, quantiles and the Stein check for \(d) parameters", after: result.seconds)
        // The Stein check pairs draws with their gradients, both in the sampled coordinates; everything after
        // it reads the draws on the reported scale.
        let stein = result.gradients.flatMap { SteinCheck(draws: result.draws, gradients: $0, dimension: d) }
        let reported = target as? any ReportedScalePotential
        if let reported { result.mapToReportedScale(reported) }
        let summaryTable = PosteriorSummary(names: Self.names(of: target), gradientEvaluationsPerChain: result.gradientEvaluations) {
            result.chainsOfCoordinate($0)
        }
        done()
        print(target.summary)
        if let warm = result.warmup { print(warm.description) }
        var full = summaryTable.table
        if let stein {
            full.columns += ["Stein mean err", "Stein sd err"]
            for i in full.rows.indices { full.rows[i] += [.number(stein.meanError[i]), .number(stein.sdError[i])] }
        }
        var shown = full
        let hidden = max(shown.rows.count - maxRows, 0)
        shown.rows = Array(shown.rows.prefix(maxRows))
        print(shown.formatted(), terminator: "")
        if hidden > 0 { print("… \(hidden) more parameters (write them all with --summary FILE.csv)") }
        if reported != nil, stein != nil {
            print("(the Stein columns are in the sampled coordinates: \(target.parameterNames.joined(separator: ", ")))")
        }
        let rhats = summaryTable.rows.map(\.rHat)
        let stepSize = result.warmup?.parameters.stepSize ?? parameters.stepSize
        var cost = Table(columns: ["sampler", "step size", "chains", "draws", "grad evals/chain", "rounds", "seconds",
                                   "max R-hat", "min ESS bulk", "ESS/grad", "accept"])
        cost.append([.text(sampler), stepSize.map { .number($0) } ?? .text("default"), .integer(chains), .integer(draws),
                     .number(result.gradientEvaluations), .integer(result.rounds), .number(result.seconds),
                     .number(rhats.max() ?? .nan), .number(summaryTable.rows.map(\.essBulk).min() ?? .nan),
                     .number(summaryTable.minimumBulkESSPerGradient), result.acceptanceRate.map { .number($0) } ?? .text("-")])
        print(cost.formatted(), terminator: "")
        if let stein { report(stein, summary: summaryTable, names: target.parameterNames) } else {
            if result.draws.count / max(d, 1) < 2 * d + 2 {
                print("Stein check: skipped (needs at least 2d + 2 = \(2 * d + 2) draws in all)")
            } else {
                // The gradient moments of draws near a log-concave target give a positive-definite
                // Hessian estimate; when they do not, the draws are not near the target.
                FileHandle.standardError.write(Data("warning: the Stein check failed: the draws' gradients do not look like a log-concave target's near them — the chains diverged or have not converged; use a smaller --step-size or --step-scale, or a longer --warmup\n".utf8))
            }
        }
        if let referenceMoments {
            Self.printDifferences(summaryTable, reference: summaryTable.rows.map { referenceMoments[$0.name] ?? (.nan, .nan) },
                                  label: "vs reference")
        }
        if let exact = target as? any ExactMomentsPotential {
            let moments = (0..<d).map { (mean: exact.mean[$0], sd: exact.covariance[$0, $0].squareRoot()) }
            Self.printDifferences(summaryTable, reference: moments, label: "vs exact moments")
        }
        if let summary {
            try AtomicFile.write(full.csv(), to: summary)
        }
        if let drawsCSV {
            let settings = [("model", potential), ("sampler", sampler), ("num_samples", "\(draws * thin)"), ("num_warmup", "\(warmup)"),
                            ("save_warmup", "0"), ("thin", "\(thin)"), ("seed", "\(seed)"), ("chains", "\(chains)")]
            let names = Self.names(of: target)
            try result.draws.withUnsafeBufferPointer { all in
                for c in 0..<chains {
                    try CmdStanCSV.write(to: CmdStanCSV.chainPath(drawsCSV, chain: c + 1), names: names,
                                         settings: settings + [("chain_id", "\(c + 1)")], count: draws) { t in
                        all.baseAddress! + (c * draws + t) * d
                    }
                }
            }
            print("wrote \(chains) CmdStan CSV files \(CmdStanCSV.chainPath(drawsCSV, chain: 1)) … \(CmdStanCSV.chainPath(drawsCSV, chain: chains))")
        }
        if let output {
            try NPY.write(NPYArray(shape: [chains, draws, d], values: result.draws), to: output)
            print("wrote \(chains)×\(draws)×\(d) draws to \(output)")
            // A `sample` provenance file beside the old contents would now describe other samples.
            let stale = ShardProvenance.path(for: output)
            if FileManager.default.fileExists(atPath: stale) {
                do { try FileManager.default.removeItem(atPath: stale) } catch {
                    throw CommandFailure("\(stale) describes the samples \(output) held before and could not be removed: \(error.localizedDescription)")
                }
                print("removed \(stale): it described the samples this file held before")
            }
        }
    }

    /// The names the summary and the files use: a regression's reported names, else the potential's own.
    static func names(of target: any Potential) -> [String] {
        (target as? any ReportedScalePotential)?.reportedNames ?? target.parameterNames
    }

    /// Prints the Stein check's worst errors and warns when a mean is more than 0.1 sd off or an sd more
    /// than 10%, saying whether Monte Carlo error can explain it: a mean's standard error is `1/√ESS`
    /// sd, an sd's about `1/√(2 ESS)` (relative, near-Gaussian marginals); errors within 3 of them are
    /// reported as Monte Carlo.
    /// `names` are the sampled coordinates' (the Stein check's own); the ESS comes from the summary's rows.
    func report(_ stein: SteinCheck, summary: PosteriorSummary, names: [String]) {
        let worstMean = stein.meanError.indices.max { abs(stein.meanError[$0]) < abs(stein.meanError[$1]) } ?? 0
        let worstSD = stein.sdError.indices.max { abs(stein.sdError[$0]) < abs(stein.sdError[$1]) } ?? 0
        let ess = summary.rows.map { max($0.essBulk, 1) }
        print(String(format: "Stein check: max |mean error| = %.3f sd (%@, MCSE %.3f sd), max |sd error| = %.1f%% (%@)",
                     abs(stein.meanError[worstMean]), names[worstMean], 1 / ess[worstMean].squareRoot(),
                     100 * abs(stein.sdError[worstSD]), names[worstSD]))
        let flagged = stein.meanError.indices.filter { abs(stein.meanError[$0]) > 0.1 || abs(stein.sdError[$0]) > 0.1 }
        guard !flagged.isEmpty else { return }
        let beyondNoise = flagged.contains { i in
            abs(stein.meanError[i]) > max(0.1, 3 / ess[i].squareRoot()) || abs(stein.sdError[i]) > max(0.1, 3 / (2 * ess[i]).squareRoot())
        }
        let (mean, sd) = stein.worst
        let cause = beyondNoise
            ? "more than Monte Carlo error explains: discretization bias; use a smaller --step-size or --step-scale (or drop them and let warm-up choose)"
            : "within 3 Monte Carlo standard errors: draw more (--draws) for a precise posterior"
        FileHandle.standardError.write(Data(String(format: "warning: means up to %.2f sd and sds up to %.0f%% off the target (Stein check); %@\n",
                                                  mean, 100 * sd, cause).utf8))
    }

    /// The means and sds of a reference posterior file (columns parameter, mean, sd), which must name every
    /// parameter in `names`.
    static func readReference(_ path: String, names: [String]) throws -> [String: (mean: Double, sd: Double)] {
        let table: Table
        let values: (rows: Int, values: [Double])
        do {
            table = try Table.readCSV(contentsOf: path)
            values = try table.numericColumns(["mean", "sd"])
        } catch { throw ValidationError("cannot use reference '\(path)': \(error)") }
        guard let nameColumn = table.columns.firstIndex(of: "parameter") else {
            throw ValidationError("reference '\(path)' has no 'parameter' column")
        }
        var reference: [String: (mean: Double, sd: Double)] = [:]
        for (i, row) in table.rows.enumerated() {
            reference[row[nameColumn].description] = (values.values[2 * i], values.values[2 * i + 1])
        }
        let matched = names.filter { reference[$0] != nil }.count
        guard matched == names.count else {
            throw ValidationError("reference '\(path)' names \(matched) of the \(names.count) parameters")
        }
        return reference
    }

    /// Prints the largest `|mean - reference| / reference sd` and `|sd / reference sd - 1|`.
    static func printDifferences(_ summary: PosteriorSummary, reference: [(mean: Double, sd: Double)], label: String) {
        var worstMean = (0.0, ""), worstSD = (0.0, "")
        for (r, ref) in zip(summary.rows, reference) {
            let dm = abs(r.mean - ref.mean) / ref.sd, ds = abs(r.sd / ref.sd - 1)
            if dm > worstMean.0 { worstMean = (dm, r.name) }
            if ds > worstSD.0 { worstSD = (ds, r.name) }
        }
        print(String(format: "%@: max |mean - ref| / ref sd = %.3f (%@), max |sd / ref sd - 1| = %.3f (%@)",
                     label, worstMean.0, worstMean.1, worstSD.0, worstSD.1))
    }
}
