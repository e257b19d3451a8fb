import Foundation
import MidpointFormats
import MidpointLangevin
import MidpointLogConcave

/// Gradient evaluations each log-concave sampler needs to bring W2 to an ill-conditioned Gaussian under
/// a tolerance, computed exactly (`docs/algorithms.md` §13, `docs/log-concave.md`).
///
/// Target: `N(0, diag(λ))` with `λ` log-spaced in `[1/κ, 1]` (`L = κ`, `m = 1`); every sampler is
/// rotation-equivariant, so this is the same problem as any Gaussian with that spectrum. There every
/// sampler here is linear, so the law's moments follow exactly from ``LangevinMomentMap`` — no Monte
/// Carlo, the same numbers on every run. The error after each step is the per-coordinate Gelbrich
/// bound `W2² ≥ Σᵢ mᵢ² + (√vᵢ - √λᵢ)²`: the exact W2 for `ula` and `ulmc` (whose laws are Gaussian with
/// independent coordinates), a lower bound for the randomized samplers, whose laws are Gaussian mixtures
/// (from the mode their coordinates stay uncorrelated; from a far start the full-covariance bound is at
/// most 3% higher for `rm-ulmc`, 7% for `rm-ulmc-pc`, which moves no optimum by more than 2 gradients).
/// `mala` (accept/reject) and `rm-ulmc-parallel` (a 4-dimensional average per step) are not covered.
///
/// Each sampler's cost is minimized over a log-spaced grid of step sizes and (kinetic samplers)
/// frictions, refined by a finer grid around the best point.
public struct MCMCCostStudy: Sendable {
    /// The allowed dimensions of the Gaussian.
    public static let dimensionRange = 1...100_000
    /// The allowed gradient caps per chain.
    public static let maxGradientsRange = 1...1_000_000

    /// Where the chains start: `x` at the mode (0) or at `(1, …, 1)`, or any point; `v ~ N(0, I)`.
    public enum Start: Sendable, Equatable {
        case mode
        case ones
        case point([Double])
    }

    /// One sampler's cheapest setting.
    public struct Best: Sendable {
        public var sampler: String
        /// Gradients per chain to W2 ≤ tolerance; nil when no setting reached it within the budget.
        public var gradients: Int?
        /// Sequential rounds (one per gradient for these samplers).
        public var rounds: Int?
        public var stepSize: Double
        /// NaN for `ula`.
        public var friction: Double
    }

    /// The samplers this study computes exactly.
    public static let samplers = ["ula", "ulmc", "rm-ulmc", "rm-ulmc-pc"]

    /// Dimension `d`.
    public var dimension: Int
    /// Condition number `κ`.
    public var condition: Double
    /// W2 tolerance.
    public var tolerance: Double
    /// Where the chains start.
    public var start: Start
    /// A setting is abandoned after this many gradient evaluations per chain.
    public var maxGradients: Int
    /// Grid sizes (step sizes × frictions) before refinement.
    public var stepGrid = 48, frictionGrid = 24
    /// Gauss–Legendre nodes over the midpoint fraction.
    public var quadraturePoints = 32

    /// A study of the `d`-dimensional, condition-`κ` Gaussian from `start`.
    public init(dimension: Int, condition: Double, tolerance: Double, start: Start, maxGradients: Int) {
        precondition(dimension >= 1 && condition >= 1 && tolerance > 0 && maxGradients >= 1, "invalid study")
        if case let .point(x) = start { precondition(x.count == dimension, "the start needs \(dimension) coordinates") }
        self.dimension = dimension
        self.condition = condition
        self.tolerance = tolerance
        self.start = start
        self.maxGradients = maxGradients
    }

    /// The target's variances `λ`, log-spaced in `[1/κ, 1]`.
    public var lambdas: [Double] {
        (0..<dimension).map { pow(condition, -1 + Double($0) / Double(max(dimension - 1, 1))) }
    }

    /// The trajectory of W2 after each step of sampler `name` at step `h` and friction `gamma`, with the
    /// gradient evaluations per chain at each point; stops at the tolerance or the budget.
    public func trajectory(_ name: String, stepSize h: Double, friction gamma: Double,
                           budget: Int? = nil) -> [(gradients: Int, w2: Double)] {
        simulate(name, stepSize: h, friction: gamma, budget: min(budget ?? maxGradients, maxGradients), steps: nil).trajectory
    }

    /// The positions' means and variances after exactly `steps` steps.
    func momentsAfter(_ name: String, stepSize h: Double, friction gamma: Double, steps: Int) -> [(mean: Double, variance: Double)] {
        simulate(name, stepSize: h, friction: gamma, budget: .max, steps: steps).moments
    }

    /// Runs the moment recursion until the tolerance, the budget or `steps` steps.
    private func simulate(_ name: String, stepSize h: Double, friction gamma: Double, budget: Int,
                          steps maxSteps: Int?) -> (trajectory: [(gradients: Int, w2: Double)], moments: [(mean: Double, variance: Double)]) {
        let lambdas = self.lambdas, d = dimension
        let rule = GaussLegendre(points: quadraturePoints)
        let (l, m) = (condition, 1.0)
        // Per-coordinate maps: the predictor, and for rm-ulmc-pc the corrector (one ULMC step of 0.1/√L
        // from a fresh velocity every ⌈4/(√m h)⌉ steps, the registry's defaults).
        var maps: [LangevinMomentMap] = [], correctors: [LangevinMomentMap] = []
        for lambda in lambdas {
            let k = 1 / lambda
            switch name {
            case "ula": maps.append(.ula(step: h, curvature: k))
            case "ulmc": maps.append(.ulmc(ULMCStep(friction: gamma, step: h), curvature: k))
            default:
                maps.append(.randomizedMidpoint(friction: gamma, step: h, curvature: k, rule: rule))
                correctors.append(.ulmc(ULMCStep(friction: gamma, step: 0.1 / l.squareRoot()), curvature: k))
            }
        }
        let gradientsPerStep = name == "ula" || name == "ulmc" ? 1 : 2
        let window = name == "rm-ulmc-pc" ? MCMCSamplerRegistry.defaultCorrectorWindow(stepSize: h, strongConvexity: m) : 0
        var mean = [(Double, Double)](), second = [(Double, Double, Double)]()
        for j in 0..<d {
            let x: Double
            switch start {
            case .mode: x = 0
            case .ones: x = 1
            case let .point(p): x = p[j]
            }
            mean.append((x, 0))
            second.append((x * x, 0, 1))
        }
        var out: [(gradients: Int, w2: Double)] = []
        var gradients = 0, step = 0
        while gradients < budget, step < (maxSteps ?? .max) {
            step += 1
            for j in 0..<d { maps[j].apply(&mean[j], &second[j]) }
            gradients += gradientsPerStep
            if window > 0, step % window == 0 {
                for j in 0..<d {
                    // Velocity refresh: v ~ N(0, 1) independent of x.
                    mean[j].1 = 0
                    second[j] = (second[j].0, 0, 1)
                    correctors[j].apply(&mean[j], &second[j])
                }
                gradients += 1
            }
            var w2 = 0.0
            for j in 0..<d {
                let variance = max(second[j].0 - mean[j].0 * mean[j].0, 0)
                let e = variance.squareRoot() - lambdas[j].squareRoot()
                w2 += mean[j].0 * mean[j].0 + e * e
            }
            let w = w2.squareRoot()
            out.append((gradients, w))
            if maxSteps == nil, w <= tolerance || !w.isFinite { break }
        }
        return (out, (0..<d).map { (mean[$0].0, max(second[$0].0 - mean[$0].0 * mean[$0].0, 0)) })
    }

    /// Gradients to reach the tolerance at one setting, or nil.
    public func cost(_ name: String, stepSize h: Double, friction gamma: Double, budget: Int? = nil) -> Int? {
        guard let last = trajectory(name, stepSize: h, friction: gamma, budget: budget).last, last.w2 <= tolerance else { return nil }
        return last.gradients
    }

    /// The cheapest setting of every sampler in `names`; `progress` hears which sampler is searched.
    public func run(samplers names: [String] = MCMCCostStudy.samplers, progress: (String) -> Void = { _ in }) -> [Best] {
        let l = condition
        return names.map { name in
            progress(name)
            let kinetic = name != "ula"
            // Steps from 1e-3/L (ula) or 1e-3/√L (kinetic) to 4 such units above the stability edge.
            let unit = kinetic ? 1 / l.squareRoot() : 1 / l
            let steps = Self.logGrid(1e-3 * unit, (kinetic ? 20 : 2) * unit, stepGrid)
            let frictions = kinetic ? Self.logGrid(0.1, 100, frictionGrid) : [Double.nan]
            var best: (cost: Int, h: Double, gamma: Double)?
            for h in steps {
                for gamma in frictions {
                    // A setting that already costs more than the best one cannot win: stop it there.
                    if let c = cost(name, stepSize: h, friction: gamma, budget: best?.cost), best == nil || c < best!.cost {
                        best = (c, h, gamma)
                    }
                }
            }
            guard let coarse = best else {
                return Best(sampler: name, gradients: nil, rounds: nil, stepSize: .nan, friction: .nan)
            }
            // Refine: a grid three times finer over one coarse cell on each side.
            let (hRatio, gRatio) = (steps[1] / steps[0], kinetic ? frictions[1] / frictions[0] : 1)
            for h in Self.logGrid(coarse.h / hRatio, coarse.h * hRatio, 7) {
                for gamma in kinetic ? Self.logGrid(coarse.gamma / gRatio, coarse.gamma * gRatio, 7) : [Double.nan] {
                    if let c = cost(name, stepSize: h, friction: gamma, budget: best!.cost), c < best!.cost { best = (c, h, gamma) }
                }
            }
            return Best(sampler: name, gradients: best!.cost, rounds: best!.cost, stepSize: best!.h, friction: best!.gamma)
        }
    }

    /// `n` log-spaced values from `low` to `high`.
    static func logGrid(_ low: Double, _ high: Double, _ n: Int) -> [Double] {
        (0..<n).map { low * pow(high / low, Double($0) / Double(max(n - 1, 1))) }
    }

    /// The cheapest settings as a table, with each sampler's cost relative to `rm-ulmc`.
    public func table(_ best: [Best]) -> Table {
        let reference = best.first { $0.sampler == "rm-ulmc" }?.gradients
        var table = Table(columns: ["sampler", "grad evals to W2 ≤ \(tolerance)", "rounds", "step size", "friction", "× rm-ulmc"])
        for b in best {
            guard let g = b.gradients else {
                table.append([.text(b.sampler), .text("> \(maxGradients)"), .text(""), .text(""), .text(""), .text("")])
                continue
            }
            table.append([.text(b.sampler), .integer(g), .integer(b.rounds ?? g), .number(b.stepSize),
                          b.friction.isNaN ? .text("-") : .number(b.friction),
                          reference.map { .number(Double(g) / Double($0)) } ?? .text("")])
        }
        return table
    }
}

extension MCMCCostStudy {
    /// The exact mean and variance of every coordinate's position after `steps` steps (for tests and
    /// reports that compare with sampled chains).
    public func moments(_ name: String, stepSize h: Double, friction gamma: Double, steps: Int) -> [(mean: Double, variance: Double)] {
        momentsAfter(name, stepSize: h, friction: gamma, steps: steps)
    }
}
