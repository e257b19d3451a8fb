import Foundation
import MidpointLinearAlgebra
import MidpointScoreModels

/// The ParaDiGMS baseline (Shih et al. 2023; `docs/algorithms.md` §8): Picard iteration over a sliding
/// window of `windowSteps` steps of a single-step sampler (`ddim` by default, or `ddpm`).
///
/// Write the base step as `x_{k+1} = x_k + f_k(x_k) + g_k ξ_k` with `f_k(x) = (A_k - 1) x + B_k s(τ_k, x)`
/// and the noise `ξ_k` drawn up front (the same Philox streams as the sequential sampler). With the
/// window starting at the accepted state `x_i`, a round evaluates the score at every state in the window
/// in one batch, then sets `x_{k+1} ← x_i + Σ_{m=i}^{k} (f_m(x_m) + g_m ξ_m)` (prefix sums). The window
/// slides past the states whose change `‖Δ‖²/(d σ²)` stayed within `tolerance²` (at least one step: the
/// first state after `x_i` is exact). The fixed point is the sequential sampler with the same noise.
public struct ParaDiGMSSampler: DiffusionSampler {
    public let name = "paradigms"
    public let summary = "ParaDiGMS: Picard over a sliding window of `ddim` (or `ddpm`) steps"
    public let costFormula = "≤ N·W"
    public var defaultGrid: TimeGrid.Kind { base.defaultGrid }
    /// The sampler whose steps are iterated (`ddim` or `ddpm`).
    public var base: any SingleStepSampler
    /// Steps in the sliding window.
    public var windowSteps: Int
    /// Per-step tolerance on `‖Δ‖/(√d σ)`.
    public var tolerance: Double

    /// The sampler; defaults: DDIM steps, windows of 8, tolerance 1e-3.
    public init(base: any SingleStepSampler = DDIMSampler(), windowSteps: Int = 8, tolerance: Double = 1e-3) {
        self.base = base
        self.windowSteps = windowSteps
        self.tolerance = tolerance
    }

    /// `paradigms`'s tuning: the window, the tolerance and the iterated sampler.
    public struct Settings: SamplerSettings {
        /// Steps in the sliding window.
        public var picardWindow: Int
        /// Per-step tolerance on `‖Δ‖/(√d σ)` (0 never slides early).
        public var picardTolerance: Double
        /// The iterated sampler.
        public var paradigmsBase: ParaDiGMSBase

        /// The tuning keys: the CLI flags without their dashes.

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case picardWindow = "picard-window", picardTolerance = "picard-tolerance", paradigmsBase = "paradigms-base"
        }
        /// The keys in table order.
        public static let keys = CodingKeys.allCases.map(\.rawValue)

        /// Throws unless every value is in its range (the library's range constants).

        public func validate(sampler: String) throws(SamplingError) {
            guard RandomizedMidpointParallelSampler.windowRange.contains(picardWindow) else {
                throw .invalidSetting(sampler: sampler, key: "picard-window", value: "\(picardWindow)",
                                      allowed: "must be in \(RandomizedMidpointParallelSampler.windowRange)")
            }
            try PicardStopRule(tolerance: picardTolerance).validate(sampler: sampler)
        }
    }

    /// The tuning in force, read from and written to the sampler's own properties.

    public var settings: Settings {
        get {
            Settings(picardWindow: windowSteps, picardTolerance: tolerance,
                     paradigmsBase: base.name == ParaDiGMSBase.ddpm.rawValue ? .ddpm : .ddim)
        }
        set {
            windowSteps = newValue.picardWindow
            tolerance = newValue.picardTolerance
            // Another base given in code (not ddim or ddpm) stays unless the setting changes.
            if newValue.paradigmsBase != settings.paradigmsBase { base = newValue.paradigmsBase.sampler }
        }
    }

    /// At least one step per round, `windowSteps` evaluations each: an upper bound.
    public func evaluations(steps: Int) -> Int { steps * windowSteps }

    /// The window's states, scores and pre-drawn noise, plus a few buffers.
    public func workingMatrices(steps: Int) -> Int { 3 * (min(windowSteps, steps) + 1) + 8 }

    /// At most one round per step (each round accepts at least one).
    public func rounds(steps: Int) -> Int { steps }

    public var hasFixedCost: Bool { false }
    public var decidesOverTheBatch: Bool { tolerance > 0 }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        let (p, d) = (x.rows, x.columns)
        let block = p * d
        let total = grid.steps
        let coefficients = (0..<total).map { base.coefficients(from: grid.times[$0], to: grid.times[$0 + 1]) }
        // The window: states[j] is x_{i+j} (states[0] accepted) and noise[j] the noise term of step i+j.
        var states = [Matrix](repeating: x, count: min(windowSteps, total) + 1)
        var noise: [Matrix?] = []
        // The window's states and scores, at the longest window's size; a shorter window uses the first rows.
        let capacity = min(windowSteps, total) * p
        let batch = MatrixBuffer(rows: capacity, columns: d), scores = MatrixBuffer(rows: capacity, columns: d)
        defer { withExtendedLifetime((batch, scores)) {} }  // the prefix sums use their pointers
        var i = 0
        while i < total {
            let w = min(windowSteps, total - i)
            states.removeLast(max(0, states.count - (w + 1)))
            while noise.count < w {
                let k = i + noise.count
                guard base.isStochastic else { noise.append(nil); continue }
                var xi = Matrix(rows: p, columns: d)
                context.noise.fillNormal(&xi, step: k + 1, slot: 0)
                xi.scale(by: coefficients[k].noise)
                noise.append(xi)
            }
            // One batch over the window's states x_i … x_{i+w-1}.
            var times = [Double](repeating: 0, count: w * p)
            for m in 0..<w {
                batch.rows((m * p)..<((m + 1) * p)).copy(from: states[m])
                for r in 0..<p { times[m * p + r] = grid.times[i + m] }
            }
            context.evaluator.evaluate(times: times, x: batch.rows(0..<(w * p)).readOnly, into: scores.rows(0..<(w * p)))
            // Prefix sums from the accepted x_i; note the first state that moved beyond tolerance.
            var running = states[0]
            var firstBad = w + 1
            for m in 0..<w {
                let c = coefficients[i + m]
                let (xs, ss) = (batch.base + m * block, scores.base + m * block)
                running.withMutableView { run in
                    for e in 0..<block { run.base[e] += (c.state - 1) * xs[e] + c.score * ss[e] }
                }
                if let xi = noise[m] { running.scaleAndAdd(1, 1, xi) }
                if firstBad > w, m > 0 {
                    let limit = tolerance * tolerance * Double(d) * ForwardProcess.sigmaSquared(grid.times[i + m + 1])
                    if largestSquaredChange(running, states[m + 1], rows: p) > limit { firstBad = m + 1 }
                }
                states[m + 1] = running
            }
            for m in 0..<w { try context.checkFinite(states[m + 1], step: i + m, tau: grid.times[i + m + 1]) }
            // States x_{i+1} … x_{i+firstBad-1} changed within tolerance (x_{i+1} is exact): accept them
            // and slide; positions entering the window start from the last state computed.
            let stride = max(1, min(w, firstBad - 1))
            states.removeFirst(stride)
            noise.removeFirst(stride)
            let last = states[states.count - 1]
            while states.count < min(windowSteps, total - i - stride) + 1 { states.append(last) }
            i += stride
            context.progress?(i, total)
        }
        x = states[0]
    }

    func largestSquaredChange(_ a: Matrix, _ b: Matrix, rows: Int) -> Double {
        let d = a.columns
        var worst = 0.0
        a.withView { a in
            b.withView { b in
                let (ap, bp) = (a.base, b.base)
                for r in 0..<rows {
                    var s = 0.0
                    for e in (r * d)..<((r + 1) * d) { let t = ap[e] - bp[e]; s += t * t }
                    worst = max(worst, s)
                }
            }
        }
        return worst
    }
}
