import ArgumentParser
import Foundation
import Midpoint
import MidpointExperiments

/// `midpoint compare`: every metric for every sampler at every NFE budget.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare samplers at equal NFE budgets: every metric, as a table, CSV and an SVG plot.",
        discussion: """
            For each sampler and budget, runs the sampler with the most steps whose NFE fits the budget \
            (denoising step included) and measures the samples with every metric that applies to the \
            target. The first table row is the noise floor: the same metrics for exact samples of the \
            same size. With --model, a shipped network's samples are measured against its held-out data \
            (energy distance and MMD; floor: the same metric between the even and odd held-out rows) or, \
            for ring2d, against the exact target. A run that diverges is reported as such and the \
            comparison goes on; a model that fails stops it, and the finished runs are still printed and \
            written before the error.
            """
    )

    @Option(name: .long, help: "A built-in target name (see `midpoint targets`) or a JSON target file (default mixture64).")
    var target: String?

    @Option(name: .long, help: "A learned score network instead of a target: \(ShippedModel.names.joined(separator: ", ")) or a .safetensors file (needs held-out data or a built-in target to measure against).")
    var model: String?

    @Option(name: .long, help: "Comma-separated samplers (default: all).", transform: CommaList<String>.parse)
    var samplers = CommaList(SamplerRegistry.names)

    @Option(name: .long, help: "Comma-separated NFE budgets per particle, each in 1...1000000 (default 5,10,20,50,100).", transform: CommaList<Int>.parse)
    var nfe: CommaList<Int>?

    @Option(name: .long, help: "Comma-separated grid step counts instead of NFE budgets: every sampler integrates the same grids (use with parallel samplers, whose NFE depends on their Picard rounds).", transform: CommaList<Int>.parse)
    var steps: CommaList<Int>?

    @OptionGroup var common: RunOptions

    @OptionGroup(title: "Served model (Open Inference Protocol)") var remote: RemoteModelOptions

    @OptionGroup(title: "Data range of a model's x̂₀") var range: DataRangeOptions

    @Option(name: .long, help: "Write a tidy CSV: one row per sampler, budget and metric, with the floor.")
    var csv: String?

    @Option(name: .long, help: "Write an SVG plot: error against NFE (or rounds), one panel per metric.")
    var plot: String?

    @Option(name: .long, help: "The plot's x-axis: nfe (score evaluations per particle) or rounds (sequential batched calls).")
    var axis: PlotAxis = .nfe

    /// What validate() resolved, for run().
    private var subject: SamplingSubject?
    private var chosen: [(name: String, sampler: any DiffusionSampler)] = []

    enum CodingKeys: String, CodingKey {
        case target, model, samplers, nfe, steps, common, remote, range, csv, plot, axis
    }

    /// The budgets or grids compared.
    var budgets: CommaList<Int> { steps ?? nfe ?? CommaList([5, 10, 20, 50, 100]) }

    mutating func validate() throws {
        if nfe != nil, steps != nil { throw ValidationError("give --nfe budgets or --steps grids, not both") }
        try budgets.require(in: DiffusionRunOptions.costRange, flag: steps == nil ? "--nfe" : "--steps")
        try samplers.require(oneOf: SamplerRegistry.names, flag: "--samplers", what: "sampler")
        try OutputPathOption.check(csv, flag: "--csv", suffix: ".csv")
        try OutputPathOption.check(plot, flag: "--plot", suffix: ".svg")
        if remote.isRemote, target == nil {
            throw ValidationError("compare measures every sampler against a known law: with --model-url, give it as --target")
        }
        chosen = try common.samplers(named: samplers.items)
        let subject = try common.subject(target: target, model: model, remote: remote)
        if subject.exact == nil, subject.data.map({ $0.heldOut.rows < 4 }) ?? true {
            throw ValidationError("\(subject.name) has nothing to be measured against: no held-out data and no built-in target")
        }
        try range.check(subject: subject)
        try check(memoryOf: subject)
        self.subject = subject
    }

    /// Refuses before any work a comparison whose largest run, beside the metric suite that lives through
    /// all of them (its reference and floor samples and the evaluation's buffers), would not fit.
    private func check(memoryOf subject: SamplingSubject) throws {
        // The suite keeps its reference samples through every run; each evaluation comes after its run.
        let (held, measured) = (subject.metricHeldBytes(particles: common.particles), subject.metricBytes(particles: common.particles))
        let budget = MemoryBudget.current()
        for (name, sampler) in chosen {
            for b in budgets.items {
                // A budget too small or unstable is reported as a row, not refused here.
                guard let grid = try? DiffusionRun.grid(for: sampler, options: common.diffusionOptions(cost: cost(b))) else { continue }
                let bytes = max(held + DiffusionRun.estimatedBytes(sampler, steps: grid.steps, particles: common.particles,
                                                                   dimension: subject.dimension), measured)
                if bytes > budget.usable {
                    throw ValidationError("\(name) at \(steps == nil ? "NFE" : "steps") \(b) with its metrics would need about \(MemoryBudget.describe(bytes)) and the run may use \(budget.usableDescription): use fewer --particles" + (sampler.workingMatrices(steps: 1) < sampler.workingMatrices(steps: grid.steps) ? ", smaller budgets or shorter Picard windows (--picard-window)" : " or smaller budgets"))
                }
            }
        }
    }

    /// The run cost of budget `b`.
    private func cost(_ b: Int) -> DiffusionRunOptions.Cost { steps == nil ? .nfe(b) : .steps(b) }

    func run() throws {
        guard let subject else { throw CommandFailure("compare ran without validation") }
        let model = try subject.scoreModel(remote: remote, particles: 0..<common.particles, seed: common.seed)
        guard let suite = subject.metrics(particles: common.particles, seed: common.seed, threads: common.threads,
                                          tau: common.denoise ? 0 : common.earlyStop ?? DiffusionRunOptions.defaultEarlyStop) else {
            throw CommandFailure("\(subject.name) has nothing to be measured against: no held-out data and no built-in target")
        }
        let control = range.control(for: subject.dataRange)
        let comparison = SamplerComparison(model: common.model(for: range.apply(control, to: model, range: subject.dataRange)), subject: subject.name, metrics: suite,
                                           samplers: chosen, budgets: budgets.items, budget: steps == nil ? .nfe : .steps,
                                           options: { common.diffusionOptions(cost: $0) })
        if let control { print(DataRangeOptions.report(control)) }
        let progress = ProgressReporter()
        // A failure that stops the comparison (a served model that died) keeps the rows finished before it.
        // Each finished run is on disk at once (the CSV rewritten atomically): a comparison stopped later,
        // even by a kill, keeps what it measured.
        var checkpoint = CSVCheckpoint(path: csv)
        let (results, failure) = comparison.runKeepingFinished(progress: { progress.status($0) }, finished: { entries in
            checkpoint.write { comparison.tidyTable(entries) }
        })
        progress.clear()
        try checkpoint.check()
        let floorLabel = subject.exact == nil ? "held-out halves (floor)" : "exact (floor)"
        print(comparison.table(results, floorLabel: floorLabel).formatted(digits: 3), terminator: "")
        for note in subject.subsampleNotes(particles: common.particles) { print(note) }
        if let csv {
            try AtomicFile.write(comparison.tidyTable(results).csv(), to: csv)  // also when nothing finished
            print("wrote \(csv)")
        }
        if let plot {
            let chart = comparison.chart(results, byRounds: axis == .rounds, particles: common.particles, seed: common.seed)
            try AtomicFile.write(chart.render(), to: plot)
            print("wrote \(plot)")
        }
        if let failure {
            let total = chosen.count * budgets.items.count
            throw CommandFailure("the comparison stopped after \(results.count) of \(total) runs: \(failure.description)" +
                                 (csv == nil && plot == nil ? "" : "; the finished runs are in the files written above"))
        }
    }
}
