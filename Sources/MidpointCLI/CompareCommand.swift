import ArgumentParser
import Foundation
import Midpoint

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
            (energy distance and MMD; floor: as many training rows) or, for ring2d, against the exact \
            target. A run that diverges is reported as such and the comparison goes on.
            """
    )

    @Option(name: .long, help: "A built-in target name (see `midpoint targets`) or a JSON target file (default mixture64).")
    var target: String?

    @Option(name: .long, help: "A learned score network instead of a target: \(ShippedModel.names.joined(separator: ", ")) or a .safetensors file (needs held-out data or a built-in target to measure against).")
    var model: String?

    @Option(name: .long, help: "Comma-separated samplers (default: all).")
    var samplers: String = SamplerRegistry.names.joined(separator: ",")

    @Option(name: .long, help: "Comma-separated NFE budgets per particle.")
    var nfe: String = "5,10,20,50,100"

    @Option(name: .long, help: "Comma-separated grid step counts instead of NFE budgets: every sampler integrates the same grids (use with parallel samplers, whose NFE depends on their Picard rounds).")
    var steps: String?

    @OptionGroup var common: RunOptions

    @Option(name: .long, help: "Write a tidy CSV: one row per sampler, budget and metric, with the floor.")
    var csv: String?

    @Option(name: .long, help: "Write an SVG plot: error against NFE (or rounds), one panel per metric.")
    var plot: String?

    @Option(name: .long, help: "The plot's x-axis: nfe (score evaluations per particle) or rounds (sequential batched calls).")
    var axis: PlotAxis = .nfe

    var samplerNames: [String] { samplers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    /// The budgets, and whether they count grid steps (`--steps`) rather than NFE.
    func budgets() throws -> [Int] {
        let flag = steps == nil ? "--nfe" : "--steps"
        let parts = (steps ?? nfe).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var out: [Int] = []
        for p in parts {
            guard let b = Int(p), b >= 1, b <= 1_000_000 else {
                throw ValidationError("\(flag) entries must be integers in 1...1000000 (got '\(p)')")
            }
            out.append(b)
        }
        guard !out.isEmpty else { throw ValidationError("\(flag) needs at least one value") }
        return out.sorted()
    }

    func validate() throws {
        _ = try budgets()
        guard !samplerNames.isEmpty else { throw ValidationError("--samplers needs at least one sampler") }
        for name in samplerNames where !SamplerRegistry.names.contains(name) {
            throw ValidationError(SamplingError.unknownSampler(name, available: SamplerRegistry.names).description)
        }
        try OutputPathOption.check(csv, flag: "--csv", suffix: ".csv")
        try OutputPathOption.check(plot, flag: "--plot", suffix: ".svg")
    }

    func run() throws {
        let subject = try common.subject(target: target, model: model)
        BLAS.setThreadCount(1)
        let budgets = try budgets()
        guard let suite = subject.metrics(particles: common.particles, seed: common.seed, threads: common.threads) else {
            throw ValidationError("\(subject.name) has nothing to be measured against: no held-out data and no built-in target")
        }
        let metricNames = suite.names
        let subjectName = subject.name
        var table = Table(columns: ["sampler", steps == nil ? "budget" : "grid", "steps", "NFE", "rounds", "seconds"] + metricNames)
        var tidy = Table(columns: ["target", "sampler", "budget", "steps", "nfe", "rounds", "seconds", "model_seconds",
                                   "metric", "value", "floor"])
        table.append([.text(subject.exact == nil ? "training data (floor)" : "exact (floor)"), .text(""), .text(""), .text(""), .text(""), .text("")]
                     + suite.floors.map { .number($0.value) })
        var curves: [String: [String: [(Double, Double)]]] = [:]  // metric → sampler → points
        let total = samplerNames.count * budgets.count
        var done = 0
        for name in samplerNames {
            let sampler = try common.sampler(named: name)
            for budget in budgets {
                done += 1
                FileHandle.standardError.write(Data("\r\(name) at \(steps == nil ? "NFE" : "steps") \(budget) (\(done)/\(total))          ".utf8))
                let outcome: Result<DiffusionResult, SamplingError>
                do {
                    outcome = .success(try DiffusionRun.run(sampler, model: common.model(for: subject.model), options: common.diffusionOptions(cost: steps == nil ? .nfe(budget) : .steps(budget))))
                } catch {
                    outcome = .failure(error)
                }
                switch outcome {
                case let .success(result):
                    let metrics = suite.evaluate(result.samples)
                    table.append([.text(name), .integer(budget), .integer(result.grid.steps), .number(result.nfe),
                                  .integer(result.rounds), .number(result.seconds)] + metrics.map { .number($0.value) })
                    for m in metrics {
                        tidy.append([.text(subjectName), .text(name), .integer(budget), .integer(result.grid.steps),
                                     .number(result.nfe), .integer(result.rounds), .number(result.seconds),
                                     .number(result.modelSeconds), .text(m.name), .number(m.value), .number(m.floor)])
                        let x = axis == .rounds ? Double(result.rounds) : result.nfe
                        curves[m.name, default: [:]][name, default: []].append((x, m.value))
                    }
                case let .failure(error):
                    let note: String
                    switch error {
                    case .budgetTooSmall: note = "budget too small"
                    case .unstableStep: note = "unstable at this budget"
                    case .nonFinite: note = "diverged"
                    default: throw error
                    }
                    table.append([.text(name), .integer(budget), .text(note), .text(""), .text(""), .text("")]
                                 + metricNames.map { _ in .number(.nan) })
                    for metric in metricNames {
                        tidy.append([.text(subjectName), .text(name), .integer(budget), .text(note), .number(.nan), .text(""),
                                     .number(.nan), .number(.nan), .text(metric), .number(.nan),
                                     .number(suite.floors.first { $0.name == metric }?.value ?? .nan)])
                    }
                }
            }
        }
        FileHandle.standardError.write(Data("\r\(String(repeating: " ", count: 60))\r".utf8))
        print(table.formatted(digits: 3), terminator: "")
        if let csv {
            try AtomicFile.write(tidy.csv(), to: csv)
            print("wrote \(csv)")
        }
        if let plot {
            let panels = metricNames.map { metric in
                SVGChart.Panel(title: metric,
                               series: samplerNames.map { SVGChart.Series(name: $0, points: curves[metric]?[$0] ?? []) },
                               floor: suite.floors.first { $0.name == metric }?.value)
            }
            let byRounds = axis == .rounds
            let chart = SVGChart(title: "\(subjectName): error against \(byRounds ? "rounds" : "NFE"), \(common.particles) particles, seed \(common.seed)",
                                 xLabel: byRounds ? "rounds (sequential batched score calls)" : "NFE (score evaluations per particle)",
                                 panels: panels, xTicks: byRounds || steps != nil ? nil : budgets.map(Double.init))
            try AtomicFile.write(chart.render(), to: plot)
            print("wrote \(plot)")
        }
    }
}
