import ArgumentParser
import Foundation
import Midpoint
import MidpointExperiments

/// `midpoint scaling`: how the cost to reach an error grows with the dimension.
struct ScalingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaling",
        abstract: "Fewest NFE and fewest rounds that reach a W2 tolerance, per sampler and dimension, with fitted exponents of d.",
        discussion: """
            Family 'product': N(0, diag(λ)) with λ log-spaced in [0.1, 1]. The metric is the W2 between \
            the Gaussian fit of the sampler's output law and the target at the final time δ, with the starting noise \
            integrated out exactly (the sampler is affine given its random draws; see \
            LinearGaussianW2): exact for deterministic samplers, Monte Carlo over the draws of \
            --particles particles for randomized ones.

            Family 'mixture': every coordinate 0.4 N(-2, 0.3) + 0.6 N(1.5, 0.15), independent (the \
            product1024 law at any d). The metric is the W2 between the product of the per-coordinate \
            output laws and the target at δ, by quadrature: particles start at stratified normal \
            quantiles, and each coordinate's sorted outputs are compared with the exact quantiles \
            (ProductMixtureW2). Exact up to quadrature for deterministic samplers; for randomized \
            ones it carries Monte Carlo error and ignores the dependence between coordinates that a \
            shared midpoint time creates (a lower bound on the joint W2).

            For each sampler and d, grids of 2, 3, 4, 6, 8, \
            12, … steps are tried in order and the first that reaches the tolerance is reported; the search for \
            the next d starts about half the previous answer's steps lower and walks down while runs still pass. The \
            exponent of d is the least-squares slope of log NFE against log d; rounds are fitted both \
            against log d (an exponent) and against ln d (rounds per ln d: a polylogarithmic growth is \
            at most a power of ln d, a constant or linear growth shows there directly).
            """
    )

    @Option(name: .long, help: "Target family: product (diagonal Gaussians) or mixture (product of 1-D two-component mixtures).")
    var family: ScalingFamily = .product

    @Option(name: .long, help: "Comma-separated dimensions, each in 1...100000.", transform: CommaList<Int>.parse)
    var dims = CommaList([16, 64, 256, 1024, 4096])

    @Option(name: .long, parsing: .unconditional, help: "W2 tolerance ε to reach.")
    var tolerance: Double = 0.05

    @Option(name: .long, help: "Comma-separated samplers.", transform: CommaList<String>.parse)
    var samplers = CommaList(["rm", "rm-parallel", "ddim", "dpmpp-2m", "paradigms"])

    @Option(name: .long, parsing: .unconditional, help: "Most grid steps to try.")
    var maxSteps: Int = 4096

    @OptionGroup var common: RunOptions

    @Option(name: .long, help: "Write a CSV with one row per sampler and dimension.")
    var csv: String?

    @Option(name: .long, help: "Write an SVG plot: NFE and rounds to reach the tolerance against d (log-log).")
    var plot: String?

    /// The samplers with their tuning, resolved by validate().
    private var chosen: [(name: String, sampler: any DiffusionSampler)] = []

    enum CodingKeys: String, CodingKey {
        case family, dims, tolerance, samplers, maxSteps, common, csv, plot
    }

    mutating func validate() throws {
        try dims.require(in: ScalingStudy.dimensionRange, flag: "--dims")
        guard tolerance.isFinite, tolerance > 0 else { throw ValidationError("--tolerance must be finite and > 0 (got \(tolerance))") }
        try OutputPathOption.check(csv, flag: "--csv", suffix: ".csv")
        try OutputPathOption.check(plot, flag: "--plot", suffix: ".svg")
        try RunOptions.require(maxSteps, in: ScalingStudy.maxStepsRange, flag: "--max-steps")
        try samplers.require(oneOf: SamplerRegistry.names, flag: "--samplers", what: "sampler")
        chosen = try common.samplers(named: samplers.items)
        do { try study.checkMemory() } catch { throw ValidationError(RunOptions.message(for: error)) }
    }

    /// The study these flags describe.
    var study: ScalingStudy {
        let common = common
        var study = ScalingStudy(family: family, dimensions: dims.items, tolerance: tolerance, samplers: chosen,
                                 maxSteps: maxSteps) { steps in common.diffusionOptions(cost: .steps(steps)) }
        study.wrap = { common.model(for: $0) }
        return study
    }

    func run() throws {
        let study = study
        let progress = ProgressReporter()
        // Each settled point is on disk at once: a run stopped later keeps what it measured.
        var checkpoint = CSVCheckpoint(path: csv)
        let (points, fits) = try study.run(progress: { progress.status($0) }, finished: { points in
            checkpoint.write { study.table(points) }
        })
        progress.clear()
        try checkpoint.check()
        print("W2 tolerance \(tolerance), metric: \(family.metricDescription)")
        print(study.table(points).formatted(), terminator: "")
        print(study.fitTable(fits).formatted(), terminator: "")
        if let csv { print("wrote \(csv)") }
        if let plot {
            try AtomicFile.write(study.chart(points, particles: common.particles).render(), to: plot)
            print("wrote \(plot)")
        }
        let stopped = points.compactMap { p in p.stopped.map { "\(p.sampler) at d = \(p.dimension): \($0.description)" } }
        if !stopped.isEmpty {
            throw CommandFailure("\(stopped.count) search(es) stopped before --max-steps \(maxSteps) for memory; their rows say so:\n  " +
                                 stopped.joined(separator: "\n  "))
        }
    }
}
