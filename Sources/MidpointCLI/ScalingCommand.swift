import ArgumentParser
import Foundation
import Midpoint

/// `midpoint scaling`: how the cost to reach an error grows with the dimension.
struct ScalingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaling",
        abstract: "Fewest NFE and fewest rounds that reach a W2 tolerance, per sampler and dimension, with fitted exponents of d.",
        discussion: """
            Family 'product': N(0, diag(λ)) with λ log-spaced in [0.1, 1]. The metric is the W2 between \
            the Gaussian fit of the sampler's output law and the target at the final time δ, with the starting noise \
            integrated out exactly (the sampler is affine given its random draws; see \
            LinearGaussianError): exact for deterministic samplers, Monte Carlo over the draws of \
            --particles particles for randomized ones.

            Family 'mixture': every coordinate 0.4 N(-2, 0.3) + 0.6 N(1.5, 0.15), independent (the \
            product1024 law at any d). The metric is the W2 between the product of the per-coordinate \
            output laws and the target at δ, by quadrature: particles start at stratified normal \
            quantiles, and each coordinate's sorted outputs are compared with the exact quantiles \
            (ProductMixtureError). Exact up to quadrature for deterministic samplers; for randomized \
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

    @Option(name: .long, help: "Comma-separated dimensions.")
    var dims: String = "16,64,256,1024,4096"

    @Option(name: .long, parsing: .unconditional, help: "W2 tolerance ε to reach.")
    var tolerance: Double = 0.05

    @Option(name: .long, help: "Comma-separated samplers.")
    var samplers: String = "rm,rm-parallel,ddim,dpmpp-2m,paradigms"

    @Option(name: .long, parsing: .unconditional, help: "Most grid steps to try.")
    var maxSteps: Int = 4096

    @OptionGroup var common: RunOptions

    @Option(name: .long, help: "Write a CSV with one row per sampler and dimension.")
    var csv: String?

    @Option(name: .long, help: "Write an SVG plot: NFE and rounds to reach the tolerance against d (log-log).")
    var plot: String?

    func parsedDims() throws -> [Int] {
        let out = dims.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !out.isEmpty, out.allSatisfy({ (1...100_000).contains($0) }) else {
            throw ValidationError("--dims must be comma-separated integers in 1...100000 (got '\(dims)')")
        }
        return out.sorted()
    }

    func validate() throws {
        _ = try parsedDims()
        guard tolerance.isFinite, tolerance > 0 else { throw ValidationError("--tolerance must be finite and > 0 (got \(tolerance))") }
        try OutputPathOption.check(csv, flag: "--csv", suffix: ".csv")
        try OutputPathOption.check(plot, flag: "--plot", suffix: ".svg")
        guard (2...1_000_000).contains(maxSteps) else { throw ValidationError("--max-steps must be in 2...1000000 (got \(maxSteps))") }
        for name in samplers.split(separator: ",") where !SamplerRegistry.names.contains(String(name)) {
            throw ValidationError(SamplingError.unknownSampler(String(name), available: SamplerRegistry.names).description)
        }
    }

    func run() throws {
        BLAS.setThreadCount(1)
        let dimensions = try parsedDims()
        var candidates: [Int] = []
        var s = 2
        while s <= maxSteps { candidates.append(s); candidates.append(s * 3 / 2); s *= 2 }
        candidates = Array(Set(candidates.filter { $0 <= maxSteps && $0 >= 2 })).sorted()
        var table = Table(columns: ["sampler", "d", "steps", "NFE", "rounds", "W2", "seconds"])
        var fits = Table(columns: ["sampler", "NFE ∝ d^k: k", "rounds ∝ d^k: k", "rounds per ln d"])
        var nfeSeries: [SVGChart.Series] = [], roundSeries: [SVGChart.Series] = []
        for name in samplers.split(separator: ",").map(String.init) {
            let sampler = try common.sampler(named: name)
            var points: [(d: Double, nfe: Double, rounds: Double)] = []
            var previous = 0  // candidate index of the previous dimension's answer
            for d in dimensions {
                let error = try errorMeasure(dimension: d)
                func attempt(_ steps: Int) -> (w2: Double, nfe: Double, rounds: Int, seconds: Double)? {
                    FileHandle.standardError.write(Data("\r\(name) d=\(d) steps=\(steps)        ".utf8))
                    var options = common.diffusionOptions(cost: .steps(steps))
                    options.denoise = false
                    let outcome: Result<(w2: Double, nfe: Double, rounds: Int, seconds: Double), SamplingError>
                    do { outcome = .success(try error(sampler, options)) } catch { outcome = .failure(error) }
                    guard case let .success(r) = outcome, r.w2 <= tolerance else { return nil }
                    return r
                }
                // Costs grow with d, so the search starts two candidates (about half the steps) below
                // the previous dimension's answer and walks down while that still passes.
                var index = max(previous - 2, 0)
                var best: (index: Int, result: (w2: Double, nfe: Double, rounds: Int, seconds: Double))?
                while index < candidates.count, best == nil {
                    if let r = attempt(candidates[index]) { best = (index, r) } else { index += 1 }
                }
                while let current = best, current.index > 0, let r = attempt(candidates[current.index - 1]) {
                    best = (current.index - 1, r)
                }
                if let best {
                    let r = best.result
                    table.append([.text(name), .integer(d), .integer(candidates[best.index]), .number(r.nfe), .integer(r.rounds),
                                  .number(r.w2), .number(r.seconds)])
                    points.append((Double(d), r.nfe, Double(r.rounds)))
                    previous = best.index
                } else {
                    table.append([.text(name), .integer(d), .text("> \(maxSteps)"), .text(""), .text(""), .text(""), .text("")])
                    previous = candidates.count
                }
            }
            func slope(_ xs: [Double], _ ys: [Double]) -> Double {
                guard xs.count >= 2 else { return .nan }
                let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
                let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
                return zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / sxx
            }
            nfeSeries.append(SVGChart.Series(name: name, points: points.map { ($0.d, $0.nfe) }))
            roundSeries.append(SVGChart.Series(name: name, points: points.map { ($0.d, $0.rounds) }))
            let logD = points.map { log($0.d) }
            fits.append([.text(name), .number(slope(logD, points.map { log($0.nfe) })),
                         .number(slope(logD, points.map { log($0.rounds) })), .number(slope(logD, points.map(\.rounds)))])
        }
        FileHandle.standardError.write(Data("\r\(String(repeating: " ", count: 50))\r".utf8))
        print("W2 tolerance \(tolerance), metric: \(metricDescription)")
        print(table.formatted(), terminator: "")
        print(fits.formatted(), terminator: "")
        if let csv {
            try AtomicFile.write(table.csv(), to: csv)
        }
        if let plot {
            let chart = SVGChart(title: "cost to reach W2 ≤ \(tolerance) on \(familyDescription), \(common.particles) particles",
                                 xLabel: "dimension d", floorLabel: "",
                                 panels: [SVGChart.Panel(title: "NFE", series: nfeSeries),
                                          SVGChart.Panel(title: "rounds", series: roundSeries)],
                                 columns: 2, xTicks: dimensions.map(Double.init))
            try AtomicFile.write(chart.render(), to: plot)
        }
    }

    /// One run's error measure on the family's target of dimension `d`.
    typealias Measure = (any DiffusionSampler, DiffusionRunOptions) throws(SamplingError)
        -> (w2: Double, nfe: Double, rounds: Int, seconds: Double)

    /// The family's target at dimension `d` and the metric that goes with it.
    func errorMeasure(dimension d: Int) throws -> Measure {
        let wrap: (any ScoreModel) -> any ScoreModel = { common.model(for: $0) }
        switch family {
        case .mixture:
            let target: ProductMixtureTarget
            do {
                let marginal = try ScalarMixture(weights: [0.4, 0.6], means: [-2, 1.5], variances: [0.3, 0.15])
                target = try ProductMixtureTarget(marginal: marginal, dimension: d)
            } catch {
                throw ValidationError("cannot build the mixture family at d = \(d): \(error)")
            }
            return { (sampler, options) throws(SamplingError) in
                try ProductMixtureError.w2(sampler, target: target, options: options, wrap: wrap)
            }
        case .product:
            let variances = (0..<d).map { pow(10, -1 + Double($0) / Double(max(d - 1, 1))) }
            return { (sampler, options) throws(SamplingError) in
                try LinearGaussianError.w2(sampler, variances: variances, options: options, wrap: wrap)
            }
        }
    }

    var metricDescription: String {
        family == .mixture
            ? "W2 of the product of per-coordinate output laws vs q_δ, by quadrature over stratified starts"
            : "W2 of the output law's Gaussian fit (start noise integrated out)"
    }

    var familyDescription: String {
        family == .mixture ? "0.4 N(-2, 0.3) + 0.6 N(1.5, 0.15) per coordinate" : "N(0, diag(λ))"
    }
}
