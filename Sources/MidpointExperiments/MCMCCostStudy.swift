import Foundation
import MidpointFormats
import MidpointLinearAlgebra
import MidpointLogConcave

/// Gradient evaluations each log-concave sampler needs to bring W2 to an ill-conditioned Gaussian
/// under a tolerance (`docs/log-concave.md`).
///
/// Target: `N(0, diag(λ))` with `λ` log-spaced in `[1/κ, 1]` (`L = κ`, `m = 1`); every sampler is
/// rotation-equivariant, so this is the same problem as a rotated Gaussian with that spectrum. Chains
/// start at `x = (1, …, 1)`. After every step the error is ``correctedW2(_:lambdas:)``. For each sampler,
/// multiples of its default step size and (kinetic samplers) frictions `2√m`, `2(mL)^¼`, `2√L` are
/// tried; the cost of a setting is the gradient evaluations per chain at which W2 first falls under
/// the tolerance, and a setting is abandoned once it costs more than the best so far.
public struct MCMCCostStudy {
    /// Dimension `d`.
    public var dimension: Int
    /// Condition number `κ`.
    public var condition: Double
    /// W2 tolerance.
    public var tolerance: Double
    /// Chains per run.
    public var chains: Int
    /// Sampler names (``MCMCSamplerRegistry``).
    public var samplers: [String]
    /// Multiples of each sampler's default step size.
    public var scales: [Double]
    /// A setting is abandoned after this many gradient evaluations per chain.
    public var maxGradients: Double
    /// Seed and worker threads (results do not depend on the threads).
    public var seed: UInt64, threads: Int

    /// A study with every knob given.
    public init(dimension: Int, condition: Double, tolerance: Double, chains: Int, samplers: [String], scales: [Double],
                maxGradients: Double, seed: UInt64, threads: Int) {
        self.dimension = dimension
        self.condition = condition
        self.tolerance = tolerance
        self.chains = chains
        self.samplers = samplers
        self.scales = scales
        self.maxGradients = maxGradients
        self.seed = seed
        self.threads = threads
    }

    /// The target's variances `λ`, log-spaced in `[1/κ, 1]`.
    public var lambdas: [Double] {
        (0..<dimension).map { pow(condition, -1 + Double($0) / Double(max(dimension - 1, 1))) }
    }

    /// One tried setting.
    public struct Trial: Sendable {
        public var sampler: String
        public var stepSize: Double
        /// NaN for samplers without friction.
        public var friction: Double
        public var scale: Double
        /// Gradients per chain to reach the tolerance; nil when it was not reached.
        public var gradients: Double?
        public var rounds: Int
        /// W2 when the tolerance was reached, or the last W2 seen.
        public var w2: Double
    }

    /// Whether `name` has a friction to tune.
    public static func isKinetic(_ name: String) -> Bool { name != "ula" && name != "mala" }

    /// Runs every setting; returns every trial, in order.
    public func run(progress: (String) -> Void = { _ in }) throws(MCMCError) -> [Trial] {
        let d = dimension, lambdas = self.lambdas
        var covariance = Matrix(rows: d, columns: d)
        for i in 0..<d { covariance[i, i] = lambdas[i] }
        let target: GaussianPotential
        do { target = try GaussianPotential(mean: [Double](repeating: 0, count: d), covariance: covariance) } catch {
            throw .invalidParameter(name: "condition", value: "\(condition)", allowed: error.description)
        }
        let (l, m) = (condition, 1.0)
        let frictions = [2 * m.squareRoot(), 2 * pow(m * l, 0.25), 2 * l.squareRoot()]
        var trials: [Trial] = []
        for name in samplers {
            let kinetic = Self.isKinetic(name)
            var best = Double.infinity
            for scale in scales {
                for gamma in kinetic ? frictions : [Double.nan] {
                    var p = MCMCSamplerRegistry.Parameters()
                    p.stepSize = scale * MCMCSamplerRegistry.defaultStepSize(name, smoothness: l)
                    if kinetic { p.friction = gamma }
                    let sampler = try MCMCSamplerRegistry.sampler(named: name, for: target, parameters: p)
                    progress("\(name) h=\(p.stepSize!) γ=\(gamma)")
                    var options = MCMCOptions(chains: chains, draws: 1, warmup: 1_000_000_000, seed: seed)
                    options.threads = threads
                    var reached: (grads: Double, w2: Double)?
                    var last = Double.nan
                    var rounds = -1
                    do {
                        let r = try MCMCRun.run(sampler, potential: target, options: options,
                                                initial: Matrix(rows: chains, columns: d, repeating: 1), observe: { _, x, grads in
                            let w2 = Self.correctedW2(x, lambdas: lambdas)
                            last = w2
                            if w2 <= tolerance { reached = (grads, w2); return false }
                            // A setting that already costs more than the best one found cannot win.
                            return grads < min(maxGradients, best) && w2.isFinite
                        })
                        rounds = r.rounds
                    } catch {
                        // A diverging setting simply never reaches the tolerance; anything else is a real error.
                        guard case .nonFinite = error else { throw error }
                    }
                    if let reached { best = min(best, reached.grads) }
                    trials.append(Trial(sampler: name, stepSize: p.stepSize!, friction: gamma, scale: scale,
                                        gradients: reached?.grads, rounds: rounds, w2: reached?.w2 ?? last))
                }
            }
        }
        return trials
    }

    /// `√max(0, Σᵢ (m̂ᵢ² - ŝᵢ²/C) + Σᵢ ((ŝᵢ - √λᵢ)² - ŝᵢ²/(2C)))` over the `C` rows of `x`: the
    /// per-coordinate Gaussian-fit W2 with the expected sampling noise of the mean (`s²/C`) and of the
    /// standard deviation (`≈ s²/(2C)`) removed.
    public static func correctedW2(_ x: Matrix, lambdas: [Double]) -> Double {
        max(correctedW2Squared(x, lambdas: lambdas), 0).squareRoot()
    }

    /// The corrected `W2²` before clamping at zero: an unbiased estimate (to `O(1/C²)`) of the squared
    /// Gaussian-fit W2 of the chains' law, so it can come out negative when the law is exact.
    public static func correctedW2Squared(_ x: Matrix, lambdas: [Double]) -> Double {
        let d = lambdas.count, c = Double(x.rows)
        var sum = [Double](repeating: 0, count: d), sq = sum
        for i in 0..<x.rows {
            for j in 0..<d {
                let v = x[i, j]
                sum[j] += v
                sq[j] += v * v
            }
        }
        var total = 0.0
        for j in 0..<d {
            let mean = sum[j] / c
            let variance = max((sq[j] - c * mean * mean) / (c - 1), 0)
            let sd = variance.squareRoot()
            total += mean * mean - variance / c + (sd - lambdas[j].squareRoot()) * (sd - lambdas[j].squareRoot()) - variance / (2 * c)
        }
        return total
    }
}

extension MCMCCostStudy {
    /// Every trial, one row each.
    public func trialTable(_ trials: [Trial]) -> Table {
        var all = Table(columns: ["sampler", "step size", "friction", "grad evals", "rounds", "W2"])
        for t in trials {
            all.append([.text(t.sampler), .number(t.stepSize), t.friction.isNaN ? .text("-") : .number(t.friction),
                        t.gradients.map { .number($0) } ?? .text("> \(maxGradients)"),
                        t.gradients != nil ? .integer(t.rounds) : .text(""), .number(t.w2)])
        }
        return all
    }

    /// The cheapest setting per sampler.
    public func bestTable(_ trials: [Trial]) -> Table {
        var best = Table(columns: ["sampler", "grad evals to W2 ≤ \(tolerance)", "rounds", "step size", "friction", "× default h"])
        for name in samplers {
            let reached = trials.filter { $0.sampler == name && $0.gradients != nil }
            if let w = reached.min(by: { $0.gradients! < $1.gradients! }) {
                best.append([.text(name), .number(w.gradients!), .integer(w.rounds), .number(w.stepSize),
                             w.friction.isNaN ? .text("-") : .number(w.friction), .number(w.scale)])
            } else {
                best.append([.text(name), .text("> \(maxGradients)"), .text(""), .text(""), .text(""), .text("")])
            }
        }
        return best
    }
}
