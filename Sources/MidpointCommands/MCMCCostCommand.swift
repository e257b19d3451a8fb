import ArgumentParser
import Foundation
import Midpoint
import MidpointExperiments

/// `midpoint mcmc-cost`: gradient evaluations to reach a W2 tolerance on an ill-conditioned Gaussian,
/// computed exactly.
struct MCMCCostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcmc-cost",
        abstract: "Gradient evaluations each log-concave sampler needs to bring W2 to a Gaussian target under a tolerance (exact).",
        discussion: """
            Target: N(0, diag(λ)) with λ log-spaced in [1/κ, 1] (L = κ, m = 1); every sampler is \
            rotation-equivariant, so this is the same problem as any Gaussian with that spectrum (the \
            built-in gaussian100 is d = 100, κ = 100). There ula, ulmc, rm-ulmc and rm-ulmc-pc are linear, \
            and the first two moments of their law follow exactly from one step's moment map (averaged \
            over the randomized midpoint by Gauss–Legendre): no Monte Carlo, the same numbers every run. \
            The error is the per-coordinate Gelbrich bound W2² ≥ Σᵢ mᵢ² + (√vᵢ - √λᵢ)², exact for ula \
            and ulmc, a lower bound for the randomized samplers (docs/algorithms.md §13). Each sampler's \
            step size and friction are searched on a log grid, then a finer one around the best; the table \
            gives the fewest gradient evaluations per chain and the setting that achieved them. mala and \
            rm-ulmc-parallel are not linear in this sense and are not covered.
            """
    )

    @Option(name: .long, parsing: .unconditional, help: "Dimension d.")
    var dimension: Int = 100

    @Option(name: .long, parsing: .unconditional, help: "Condition number κ.")
    var condition: Double = 100

    @Option(name: .long, parsing: .unconditional, help: "W2 tolerance, in units of the target's largest sd (1).")
    var tolerance: Double = 0.1

    @Option(name: .long, help: "Where the chains start: mode (x = 0), ones (x = 1, …, 1), or a .npy/.csv file with d numbers; velocities are N(0, I).")
    var start: String = "mode"

    @Option(name: .long, help: "Comma-separated samplers, from \(MCMCCostStudy.samplers.joined(separator: ", ")).", transform: CommaList<String>.parse)
    var samplers = CommaList(MCMCCostStudy.samplers)

    @Option(name: .long, parsing: .unconditional, help: "Give up on a setting after this many gradient evaluations per chain.")
    var maxGradients: Int = 5000

    @Option(name: .long, help: "Write the best setting of each sampler to this .csv file.")
    var csv: String?

    /// The start read by validate().
    private var startValue: MCMCCostStudy.Start = .mode

    enum CodingKeys: String, CodingKey {
        case dimension, condition, tolerance, samplers, start, maxGradients, csv
    }

    mutating func validate() throws {
        try RunOptions.require(dimension, in: MCMCCostStudy.dimensionRange, flag: "--dimension")
        guard condition.isFinite, condition >= 1, condition <= 1e8 else { throw ValidationError("--condition must be in [1, 1e8] (got \(condition))") }
        guard tolerance.isFinite, tolerance > 0 else { throw ValidationError("--tolerance must be finite and > 0 (got \(tolerance))") }
        try RunOptions.require(maxGradients, in: MCMCCostStudy.maxGradientsRange, flag: "--max-gradients")
        try samplers.require(oneOf: MCMCCostStudy.samplers, flag: "--samplers", what: "sampler (exact costs cover only linear samplers)")
        try OutputPathOption.check(csv, flag: "--csv", suffix: ".csv")
        startValue = try startPoint()
    }

    /// The `--start` value as the study's start.
    func startPoint() throws -> MCMCCostStudy.Start {
        switch start {
        case "mode": return .mode
        case "ones": return .ones
        default:
            var values: [Double] = []
            do {
                if start.hasSuffix(".npy") {
                    values = try NPY.read(contentsOf: start).values
                } else {
                    let text = String(decoding: try InputFile.read(start, limit: 64 << 20), as: UTF8.self)
                    for item in text.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
                        guard let v = Double(item) else { throw ValidationError("'\(item)' is not a number") }
                        values.append(v)
                    }
                }
            } catch {
                throw ValidationError("--start must be mode, ones or a .npy/.csv file of \(dimension) numbers: \(error)")
            }
            guard values.count == dimension, values.allSatisfy(\.isFinite) else {
                throw ValidationError("--start file '\(start)' must hold \(dimension) finite numbers (has \(values.count))")
            }
            return .point(values)
        }
    }

    func run() throws {
        let study = MCMCCostStudy(dimension: dimension, condition: condition, tolerance: tolerance, start: startValue,
                                  maxGradients: maxGradients)
        let progress = ProgressReporter()
        let best = study.run(samplers: samplers.items) { progress.status("searching \($0)") }
        progress.clear()
        print("N(0, diag(λ)), d = \(dimension), λ log-spaced in [\(1 / condition), 1], start \(start); exact per-coordinate W2 (Gelbrich)")
        let table = study.table(best)
        print(table.formatted(), terminator: "")
        if let csv { try AtomicFile.write(table.csv(), to: csv) }
    }
}
