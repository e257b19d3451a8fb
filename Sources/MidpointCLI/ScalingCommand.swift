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
            --particles particles for randomized ones. For each sampler and d, grids of 2, 3, 4, 6, 8, \
            12, … steps are tried in order and the first that reaches the tolerance is reported. The \
            exponent of d is the least-squares slope of log NFE against log d; rounds are fitted both \
            against log d (an exponent) and against ln d (rounds per ln d: a polylogarithmic growth is \
            at most a power of ln d, a constant or linear growth shows there directly).
            """
    )

    @Option(name: .long, help: "Target family (product: diagonal Gaussians).")
    var family: String = "product"

    @Option(name: .long, help: "Comma-separated dimensions.")
    var dims: String = "16,64,256,1024,4096"

    @Option(name: .long, help: "W2 tolerance ε to reach.")
    var tolerance: Double = 0.05

    @Option(name: .long, help: "Comma-separated samplers.")
    var samplers: String = "rm,rm-parallel,ddim,dpmpp-2m,paradigms"

    @Option(name: .long, help: "Most grid steps to try.")
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
        guard family == "product" else { throw ValidationError("--family must be 'product' (got '\(family)'); 'mixture' is not implemented yet") }
        _ = try parsedDims()
        guard tolerance.isFinite, tolerance > 0 else { throw ValidationError("--tolerance must be finite and > 0 (got \(tolerance))") }
        if let csv, !csv.hasSuffix(".csv") { throw ValidationError("--csv must name a .csv file (got '\(csv)')") }
        if let plot, !plot.hasSuffix(".svg") { throw ValidationError("--plot must name a .svg file (got '\(plot)')") }
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
            for d in dimensions {
                let variances = (0..<d).map { pow(10, -1 + Double($0) / Double(max(d - 1, 1))) }
                var found = false
                for steps in candidates {
                    FileHandle.standardError.write(Data("\r\(name) d=\(d) steps=\(steps)        ".utf8))
                    var options = common.diffusionOptions(cost: .steps(steps))
                    options.denoise = false
                    let outcome: Result<(w2: Double, nfe: Double, rounds: Int, seconds: Double), SamplingError>
                    do {
                        outcome = .success(try LinearGaussianError.w2(sampler, variances: variances, options: options,
                                                                      wrap: { common.model(for: $0) }))
                    } catch {
                        outcome = .failure(error)
                    }
                    guard case let .success(r) = outcome, r.w2 <= tolerance else { continue }
                    table.append([.text(name), .integer(d), .integer(steps), .number(r.nfe), .integer(r.rounds), .number(r.w2),
                                  .number(r.seconds)])
                    points.append((Double(d), r.nfe, Double(r.rounds)))
                    found = true
                    break
                }
                if !found {
                    table.append([.text(name), .integer(d), .text("> \(maxSteps)"), .text(""), .text(""), .text(""), .text("")])
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
        print("W2 tolerance \(tolerance), metric: W2 of the output law's Gaussian fit (start noise integrated out)")
        print(table.formatted(), terminator: "")
        print(fits.formatted(), terminator: "")
        if let csv {
            do { try table.csv().write(toFile: csv, atomically: true, encoding: .utf8) } catch {
                throw ValidationError("cannot write '\(csv)': \(error.localizedDescription)")
            }
        }
        if let plot {
            let chart = SVGChart(title: "cost to reach W2 ≤ \(tolerance) on N(0, diag(λ)), \(common.particles) particles",
                                 xLabel: "dimension d", floorLabel: "",
                                 panels: [SVGChart.Panel(title: "NFE", series: nfeSeries),
                                          SVGChart.Panel(title: "rounds", series: roundSeries)],
                                 columns: 2, xTicks: dimensions.map(Double.init))
            do { try chart.render().write(toFile: plot, atomically: true, encoding: .utf8) } catch {
                throw ValidationError("cannot write '\(plot)': \(error.localizedDescription)")
            }
        }
    }
}
