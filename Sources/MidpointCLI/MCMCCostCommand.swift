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

    @Option(name: .long, help: "Comma-separated samplers.")
    var samplers: String = MCMCSamplerRegistry.names.joined(separator: ",")

    @Option(name: .long, help: "Comma-separated multiples of each sampler's default step size to try.")
    var scales: String = "0.25,0.5,1,2,4"

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
        try OutputPathOption.check(csv, flag: "--csv", suffix: ".csv")
        for name in samplers.split(separator: ",") where !MCMCSamplerRegistry.names.contains(String(name)) {
            throw ValidationError(MCMCError.unknownSampler(String(name), available: MCMCSamplerRegistry.names).description)
        }
    }

    func run() throws {
        BLAS.setThreadCount(1)
        let d = dimension
        let lambdas = (0..<d).map { pow(condition, -1 + Double($0) / Double(max(d - 1, 1))) }
        var covariance = Matrix(rows: d, columns: d)
        for i in 0..<d { covariance[i, i] = lambdas[i] }
        let target: GaussianPotential
        do { target = try GaussianPotential(mean: [Double](repeating: 0, count: d), covariance: covariance) } catch {
            throw ValidationError(error.description)
        }
        let (l, m) = (condition, 1.0)
        let frictions = [2 * m.squareRoot(), 2 * pow(m * l, 0.25), 2 * l.squareRoot()]
        var all = Table(columns: ["sampler", "step size", "friction", "grad evals", "rounds", "W2"])
        var best = Table(columns: ["sampler", "grad evals to W2 ≤ \(tolerance)", "rounds", "step size", "friction", "× default h"])
        let c = Double(chains)
        for name in samplers.split(separator: ",").map(String.init) {
            let kinetic = name != "ula" && name != "mala"
            var winner: (grads: Double, rounds: Int, h: Double, gamma: Double, scale: Double)?
            for scale in try parsedScales() {
                for gamma in kinetic ? frictions : [Double.nan] {
                    var p = MCMCSamplerRegistry.Parameters()
                    p.stepSize = scale * MCMCSamplerRegistry.defaultStepSize(name, smoothness: l)
                    if kinetic { p.friction = gamma }
                    let sampler: any MCMCSampler
                    do { sampler = try MCMCSamplerRegistry.sampler(named: name, for: target, parameters: p) } catch {
                        throw ValidationError(error.description)
                    }
                    FileHandle.standardError.write(Data("\r\(name) h=\(p.stepSize!) γ=\(gamma)          ".utf8))
                    var options = MCMCOptions(chains: chains, draws: 1, warmup: 1_000_000_000, seed: seed)
                    options.threads = threads
                    var reached: (grads: Double, step: Int, w2: Double)?
                    var last = Double.nan
                    let outcome: Result<MCMCResult, MCMCError>
                    do {
                        outcome = .success(try MCMCRun.run(sampler, potential: target, options: options,
                                                           initial: Matrix(rows: chains, columns: d, repeating: 1), observe: { step, x, grads in
                            let w2 = Self.correctedW2(x, lambdas: lambdas, chains: c)
                            last = w2
                            if w2 <= tolerance { reached = (grads, step, w2); return false }
                            // A setting that already costs more than the best one found cannot win.
                            return grads < min(maxGradients, winner?.grads ?? .infinity) && w2.isFinite
                        }))
                    } catch { outcome = .failure(error) }
                    let rounds: Int
                    if case let .success(r) = outcome { rounds = r.rounds } else { rounds = -1 }
                    all.append([.text(name), .number(p.stepSize!), kinetic ? .number(gamma) : .text("-"),
                                reached.map { .number($0.grads) } ?? .text("> \(maxGradients)"),
                                reached != nil ? .integer(rounds) : .text(""), .number(reached?.w2 ?? last)])
                    if let r = reached, winner == nil || r.grads < winner!.grads {
                        winner = (r.grads, rounds, p.stepSize!, gamma, scale)
                    }
                }
            }
            if let w = winner {
                best.append([.text(name), .number(w.grads), .integer(w.rounds), .number(w.h), kinetic ? .number(w.gamma) : .text("-"),
                             .number(w.scale)])
            } else {
                best.append([.text(name), .text("> \(maxGradients)"), .text(""), .text(""), .text(""), .text("")])
            }
        }
        FileHandle.standardError.write(Data("\r\(String(repeating: " ", count: 60))\r".utf8))
        print("N(0, diag(λ)), d = \(d), λ log-spaced in [\(1 / condition), 1], \(chains) chains from (1, …, 1); W2 of the Gaussian fit, sampling noise subtracted")
        print(best.formatted(), terminator: "")
        if let csv {
            try AtomicFile.write(all.csv(), to: csv)
        }
    }

    func parsedScales() throws -> [Double] {
        let out = scales.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !out.isEmpty, out.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ValidationError("--scales must be comma-separated positive numbers (got '\(scales)')")
        }
        return out
    }

    /// `√max(0, Σᵢ (m̂ᵢ² - ŝᵢ²/C) + Σᵢ ((ŝᵢ - √λᵢ)² - ŝᵢ²/(2C)))`: the per-coordinate Gaussian-fit W2 with
    /// the expected sampling noise of the mean (`s²/C`) and of the standard deviation (`≈ s²/(2C)`) removed.
    static func correctedW2(_ x: Matrix, lambdas: [Double], chains c: Double) -> Double {
        let d = lambdas.count
        var sum = [Double](repeating: 0, count: d), sq = sum
        x.storage.withUnsafeBufferPointer { p in
            for i in 0..<x.rows {
                for j in 0..<d {
                    let v = p[i * d + j]
                    sum[j] += v
                    sq[j] += v * v
                }
            }
        }
        var total = 0.0
        for j in 0..<d {
            let mean = sum[j] / c
            let variance = max((sq[j] - c * mean * mean) / (c - 1), 0)
            let sd = variance.squareRoot()
            total += mean * mean - variance / c + (sd - lambdas[j].squareRoot()) * (sd - lambdas[j].squareRoot()) - variance / (2 * c)
        }
        return max(total, 0).squareRoot()
    }
}
