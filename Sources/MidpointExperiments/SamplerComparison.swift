import MidpointDiffusion
import MidpointFormats
import MidpointMetrics
import MidpointPlots
import MidpointScoreModels

/// Samplers compared at equal budgets on one model: every metric of every run beside the metrics'
/// noise floors (the same metrics for exact or held-out samples of the same size).
///
/// For each sampler and budget the run uses the most grid steps whose NFE fits the budget (denoising
/// step included), or exactly `budget` grid steps when ``Budget/steps`` is chosen (so parallel
/// samplers, whose NFE depends on their Picard rounds, integrate the same grids). A run refused at a
/// budget (too small, unstable) or that diverges is recorded as such and the comparison goes on.
public struct SamplerComparison {
    /// What a budget counts.
    public enum Budget: Sendable { case nfe, steps }

    /// The model sampled (already wrapped, e.g. with a latency).
    public var model: any ScoreModel
    /// The subject's name, for the tidy table and the plot title.
    public var subject: String
    /// The metrics and their floors.
    public var metrics: any SampleMetrics
    /// The samplers, under their reported names.
    public var samplers: [(name: String, sampler: any DiffusionSampler)]
    /// The budgets, ascending.
    public var budgets: [Int]
    /// What the budgets count.
    public var budget: Budget
    /// Run options for a cost (particles, seed, horizon, threads…).
    public var options: (DiffusionRunOptions.Cost) -> DiffusionRunOptions

    /// A comparison of `samplers` on `model` at `budgets`.
    public init(model: any ScoreModel, subject: String, metrics: any SampleMetrics,
                samplers: [(name: String, sampler: any DiffusionSampler)], budgets: [Int], budget: Budget,
                options: @escaping (DiffusionRunOptions.Cost) -> DiffusionRunOptions) {
        self.model = model
        self.subject = subject
        self.metrics = metrics
        self.samplers = samplers
        self.budgets = budgets.sorted()
        self.budget = budget
        self.options = options
    }

    /// One sampler at one budget: its run's cost and metrics, or why there is no run.
    public struct Entry {
        public var sampler: String
        public var budget: Int
        /// The run's cost and metrics; nil when it was refused or diverged (see `note`).
        public var result: (steps: Int, nfe: Double, rounds: Int, seconds: Double, modelSeconds: Double, metrics: [MetricValue])?
        /// "budget too small", "unstable at this budget" or "diverged" when there is no result.
        public var note: String
    }

    /// Runs every sampler at every budget; `progress` hears which run is going and how far along.
    /// - Throws: only errors that are not about the budget (a bad model, a refused memory estimate).
    public func run(progress: (String) -> Void = { _ in }) throws(SamplingError) -> [Entry] {
        let (entries, failure) = runKeepingFinished(progress: progress)
        if let failure { throw failure }
        return entries
    }

    /// Runs every sampler at every budget until an error that is not about the budget (a model that
    /// failed, a refused memory estimate) stops the comparison; returns the finished entries and that
    /// error, so that a caller can keep what was measured before it.
    /// `finished` hears all entries so far after each run, so that a caller can keep them on disk.
    public func runKeepingFinished(progress: (String) -> Void = { _ in },
                                   finished: ([Entry]) -> Void = { _ in }) -> (entries: [Entry], failure: SamplingError?) {
        var entries: [Entry] = []
        let total = samplers.count * budgets.count
        for (name, sampler) in samplers {
            for b in budgets {
                progress("\(name) at \(budget == .nfe ? "NFE" : "steps") \(b) (\(entries.count + 1)/\(total))")
                let cost: DiffusionRunOptions.Cost = budget == .nfe ? .nfe(b) : .steps(b)
                do {
                    let r = try DiffusionRun.run(sampler, model: model, options: options(cost))
                    entries.append(Entry(sampler: name, budget: b,
                                         result: (r.grid.steps, r.nfe, r.rounds, r.seconds, r.modelSeconds, metrics.evaluate(r.samples)),
                                         note: ""))
                } catch {
                    switch error {
                    case .budgetTooSmall: entries.append(Entry(sampler: name, budget: b, result: nil, note: "budget too small"))
                    case .unstableStep: entries.append(Entry(sampler: name, budget: b, result: nil, note: "unstable at this budget"))
                    case .nonFinite: entries.append(Entry(sampler: name, budget: b, result: nil, note: "diverged"))
                    default: return (entries, error)
                    }
                }
                finished(entries)
            }
        }
        return (entries, nil)
    }
}

extension SamplerComparison {
    /// The summary table: the floor row, then one row per sampler and budget with every metric.
    public func table(_ entries: [Entry], floorLabel: String) -> Table {
        var table = Table(columns: ["sampler", budget == .nfe ? "budget" : "grid", "steps", "NFE", "rounds", "seconds"] + metrics.names)
        table.append([.text(floorLabel), .text(""), .text(""), .text(""), .text(""), .text("")]
                     + metrics.floors.map { Self.cell($0.floor, clipped: $0.floorClipped) })
        for e in entries {
            if let r = e.result {
                table.append([.text(e.sampler), .integer(e.budget), .integer(r.steps), .number(r.nfe), .integer(r.rounds),
                              .number(r.seconds)] + r.metrics.map { Self.cell($0.value, clipped: $0.valueClipped) })
            } else {
                table.append([.text(e.sampler), .integer(e.budget), .text(e.note), .text(""), .text(""), .text("")]
                             + metrics.names.map { _ in .number(.nan) })
            }
        }
        return table
    }

    /// The tidy table: one row per sampler, budget and metric, with the metric's floor.
    public func tidyTable(_ entries: [Entry]) -> Table {
        var tidy = Table(columns: ["target", "sampler", "budget", "steps", "nfe", "rounds", "seconds", "model_seconds",
                                   "metric", "value", "floor", "value_clipped", "floor_clipped"])
        for e in entries {
            for (index, metric) in metrics.names.enumerated() {
                let floor = metrics.floors[index]
                if let r = e.result {
                    tidy.append([.text(subject), .text(e.sampler), .integer(e.budget), .integer(r.steps), .number(r.nfe),
                                 .integer(r.rounds), .number(r.seconds), .number(r.modelSeconds), .text(metric),
                                 .number(r.metrics[index].value), .number(floor.floor),
                                 .text("\(r.metrics[index].valueClipped)"), .text("\(floor.floorClipped)")])
                } else {
                    tidy.append([.text(subject), .text(e.sampler), .integer(e.budget), .text(e.note), .number(.nan), .text(""),
                                 .number(.nan), .number(.nan), .text(metric), .number(.nan), .number(floor.floor),
                                 .text("false"), .text("\(floor.floorClipped)")])
                }
            }
        }
        return tidy
    }

    /// A metric's cell: a clipped estimate (a negative U-statistic) is said to be one, not shown as a plain 0.
    static func cell(_ value: Double, clipped: Bool) -> Table.Value { clipped ? .text("0 (clipped)") : .number(value) }

    /// Error against NFE (or rounds), one panel per metric with its floor, one series per sampler.
    public func chart(_ entries: [Entry], byRounds: Bool, particles: Int, seed: UInt64) -> SVGChart {
        let panels = metrics.names.enumerated().map { index, metric in
            SVGChart.Panel(title: metric, series: samplers.map { s in
                SVGChart.Series(name: s.name, points: entries.filter { $0.sampler == s.name }.compactMap { e in
                    e.result.map { (byRounds ? Double($0.rounds) : $0.nfe, $0.metrics[index].value) }
                })
            }, floor: metrics.floors[index].value)
        }
        return SVGChart(title: "\(subject): error against \(byRounds ? "rounds" : "NFE"), \(particles) particles, seed \(seed)",
                        xLabel: byRounds ? "rounds (sequential batched score calls)" : "NFE (score evaluations per particle)",
                        panels: panels, xTicks: byRounds || budget == .steps ? nil : budgets.map(Double.init))
    }
}
