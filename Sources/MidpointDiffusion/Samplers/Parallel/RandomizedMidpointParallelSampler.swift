import Foundation
import MidpointLinearAlgebra
import MidpointScoreModels

/// The paper's parallel-in-time randomized midpoint (Gupta, Cai & Chen 2024; `docs/algorithms.md` §8)
/// on the stable predictor: ``RandomizedMidpointSampler`` (`rm`, DDIM variables) solved by Picard
/// iteration over windows of grid steps, each round one batched score call over every (particle,
/// sub-step) pair.
///
/// In a window with levels `ς₀ > … > ςₙ` and midpoints `ςⱼᵐ` (the same draws as `rm`: Philox step of the
/// global grid step, slot 1), the unknowns are the grid states `zⱼ` and midpoint states `wⱼ` (in
/// `y = x/α`). A round evaluates `Ezⱼ = ε̂(zⱼ, ςⱼ)` and `Ewⱼ = ε̂(wⱼ, ςⱼᵐ)` for all `j` at once (`2n`
/// evaluations per particle), then rebuilds the window front to back with no evaluations:
/// ```
/// z'₀ = y₀
/// w'ⱼ   = z'ⱼ + (ςⱼᵐ - ςⱼ) [Ezⱼ + J(ςⱼ) (z'ⱼ - zⱼ)]
/// z'ⱼ₊₁ = z'ⱼ + (ςⱼ₊₁ - ςⱼ) [Ewⱼ + J(ςⱼᵐ) (w'ⱼ - wⱼ)]
/// ```
/// With `J = 0` this is plain Picard (prefix sums). **Our addition** (not in the paper): `J(ς) =
/// ς/(v + ς²)`, the exact Jacobian of `ε̂` in `y` for `N(0, v I)` data and `≈ 1/ς` at large `ς` for any
/// data, corrects each evaluation for the move of its state since it was taken — a Newton step on the
/// affine part of the flow. Plain Picard contracts per round by about the window's `∫ J dς`
/// (`½ ln((1 + ς₀²)/(1 + ςₙ²)) ≈ 4.4` from `ς₀ = 80` to the data for `v = 1`), so at ≤ 20 NFE it needs
/// nearly as many rounds as steps; the
/// correction leaves the rounds to the non-linear part. It vanishes at the fixed point, which is
/// exactly sequential `rm` with the same draws (reached after at most `2n` rounds).
///
/// The window starts from DDIM's guess `zⱼ = y₀ + (ςⱼ - ς₀) x₀` (`ε̂ ≈ x` at large `ς`; no evaluation).
/// Defaults: one window over the whole grid, ``PicardStopRule/automaticRounds(steps:)`` rounds.
public struct RandomizedMidpointParallelSampler: DiffusionSampler {
    public let name = "rm-parallel"
    public let summary = "**the paper's parallel-in-time predictor**: `rm` solved by Picard rounds over windows, one batched call per round"
    public let costFormula = "≤ 2N·K"
    public let defaultGrid = RandomizedMidpointSampler().defaultGrid
    /// As the sequential sampler it solves, ``RandomizedMidpointSampler/minimumSteps``.
    public let minimumSteps = RandomizedMidpointSampler().minimumSteps
    /// Grid steps per Picard window; nil (the default) solves the whole grid as one window.
    public var windowSteps: Int?
    /// If set, a window holds the consecutive grid steps within this log-SNR span (at least one).
    public var windowSpan: Double?
    /// When a window's iteration stops.
    public var stop: PicardStopRule
    /// The variance `v` of the Jacobian `ς/(v + ς²)` in the update; nil runs plain Picard.
    public var jacobianVariance: Double?
    /// An optional ULMC correction after each window (the paper's parallel predictor–corrector), solved
    /// by Picard rounds over its steps (``LangevinCorrector``); nil runs the predictor alone.
    public var corrector: LangevinCorrector?

    /// The sampler; the defaults are chosen in `docs/parallel.md`.
    public init(windowSteps: Int? = nil, windowSpan: Double? = nil, stop: PicardStopRule = PicardStopRule(),
                jacobianVariance: Double? = 1, corrector: LangevinCorrector? = nil) {
        self.windowSteps = windowSteps
        self.windowSpan = windowSpan
        self.stop = stop
        self.jacobianVariance = jacobianVariance
        self.corrector = corrector
    }

    /// The allowed grid steps per window.
    public static let windowRange = 1...10_000

    /// `rm-parallel`'s tuning: the windows, the Picard rounds and stop, the Newton correction, and the
    /// optional Picard-solved corrector (its `corrector-*` keys are read only with `parallel-corrector`).
    public struct Settings: SamplerSettings {
        /// Grid steps per window (nil: one window over the grid).
        public var picardWindow: Int?
        /// Log-SNR span of a window (nil: windows by step count).
        public var picardSpan: Double?
        /// Picard rounds per window (nil: ``PicardStopRule/automaticRounds(steps:)``).
        public var picardRounds: Int?
        /// The early-stop tolerance (0 never stops early).
        public var picardTolerance: Double
        /// Plain Picard updates, without the Newton correction.
        public var plainPicard: Bool
        /// Correct after each window with the Picard-solved ULMC corrector.
        public var parallelCorrector: Bool
        /// The corrector's sub-steps per correction (nil: ``LangevinCorrector``'s default).
        public var correctorSteps: Int?
        /// The corrector's run time in units of `σ(τ)` (nil: the default).
        public var correctorTime: Double?
        /// The corrector's friction in units of `1/σ(τ)` (nil: the default).
        public var correctorFriction: Double?

        /// The tuning keys: the CLI flags without their dashes.

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case picardWindow = "picard-window", picardSpan = "picard-span", picardRounds = "picard-rounds"
            case picardTolerance = "picard-tolerance", plainPicard = "plain-picard", parallelCorrector = "parallel-corrector"
            case correctorSteps = "corrector-steps", correctorTime = "corrector-time", correctorFriction = "corrector-friction"
        }
        /// The keys in table order.
        public static let keys = CodingKeys.allCases.map(\.rawValue)

        /// The corrector these settings describe, nil without `parallel-corrector`.
        var corrector: LangevinCorrector? {
            guard parallelCorrector else { return nil }
            let d = LangevinCorrector()
            return LangevinCorrector(steps: correctorSteps ?? d.steps, timeScale: correctorTime ?? d.timeScale,
                                     frictionScale: correctorFriction ?? d.frictionScale, integrator: .exponential)
        }

        /// Throws unless every value is in its range (the library's range constants).

        public func validate(sampler: String) throws(SamplingError) {
            if let picardWindow, !RandomizedMidpointParallelSampler.windowRange.contains(picardWindow) {
                throw .invalidSetting(sampler: sampler, key: "picard-window", value: "\(picardWindow)",
                                      allowed: "must be in \(RandomizedMidpointParallelSampler.windowRange)")
            }
            if let picardSpan, !(picardSpan.isFinite && picardSpan > 0) {
                throw .invalidSetting(sampler: sampler, key: "picard-span", value: "\(picardSpan)", allowed: "must be finite and > 0")
            }
            if picardWindow != nil, picardSpan != nil {
                throw .invalidSetting(sampler: sampler, key: "picard-span", value: "\(picardSpan ?? 0)",
                                      allowed: "windows are set by picard-window or picard-span, not both")
            }
            try PicardStopRule(maxRounds: picardRounds, tolerance: picardTolerance).validate(sampler: sampler)
            try corrector?.validate(sampler: sampler)
        }

        /// The `corrector-*` keys are read only with `parallel-corrector`.

        public func unreadReason(_ key: String) -> String? {
            key.hasPrefix("corrector-") && !parallelCorrector ? "read only with parallel-corrector" : nil
        }
    }

    /// The tuning in force, read from and written to the sampler's own properties.

    public var settings: Settings {
        get {
            Settings(picardWindow: windowSteps, picardSpan: windowSpan, picardRounds: stop.maxRounds, picardTolerance: stop.tolerance,
                     plainPicard: jacobianVariance == nil, parallelCorrector: corrector != nil, correctorSteps: corrector?.steps,
                     correctorTime: corrector?.timeScale, correctorFriction: corrector?.frictionScale)
        }
        set {
            windowSteps = newValue.picardWindow
            windowSpan = newValue.picardSpan
            stop = PicardStopRule(maxRounds: newValue.picardRounds, tolerance: newValue.picardTolerance)
            jacobianVariance = newValue.plainPicard ? nil : (jacobianVariance ?? 1)
            // The integrator is not a setting of rm-parallel (its Picard corrector uses ei); one given in code
            // stays, for validate() to judge.
            corrector = newValue.corrector.map { c in
                var c = c
                c.integrator = corrector?.integrator ?? c.integrator
                return c
            }
        }
    }

    /// Throws unless the settings and the sampler's other properties are usable.

    public func validate() throws(SamplingError) {
        try settings.validate(sampler: name)
        if let jacobianVariance, !(jacobianVariance.isFinite && jacobianVariance > 0) {
            throw .invalidParameter(name: "Jacobian variance", value: "\(jacobianVariance)", allowed: "must be finite and > 0")
        }
        if let corrector, corrector.integrator != .exponential {
            throw .invalidParameter(name: "parallel corrector integrator", value: corrector.integrator.rawValue,
                                    allowed: "the Picard-solved corrector uses ei")
        }
    }

    /// Evaluations if every window runs all its rounds (early stopping only lowers it), plus at most `M²`
    /// per correction. With ``windowSpan`` the windows depend on the grid, not only on its step count:
    /// the figure then assumes one window and is an estimate, not a bound.
    public func evaluations(steps: Int) -> Int {
        let n = min(windowSteps ?? steps, steps)
        let (full, rest) = (steps / n, steps % n)
        let correction = corrector.map { $0.steps * $0.steps } ?? 0
        return full * (2 * n * stop.rounds(steps: n) + correction) + (rest > 0 ? 2 * rest * stop.rounds(steps: rest) + correction : 0)
    }

    /// Rounds per window (plus the corrector's) over the windows of `steps` steps; with ``windowSpan``, an
    /// estimate that assumes one window.
    public func rounds(steps: Int) -> Int {
        let n = min(windowSteps ?? steps, steps)
        let (full, rest) = (steps / n, steps % n)
        let corrector = self.corrector.map { $0.steps } ?? 0
        return full * (stop.rounds(steps: n) + corrector) + (rest > 0 ? stop.rounds(steps: rest) + corrector : 0)
    }

    /// A window of `n` steps keeps `2n` states and `2n` scores per particle, plus a few buffers.
    public func workingMatrices(steps: Int) -> Int {
        // The Picard-solved corrector holds 4 blocks of the batch per sub-step (LangevinCorrector+Parallel).
        4 * min(windowSteps ?? steps, steps) + 8 + (corrector.map { 4 * $0.steps + 2 } ?? 0)
    }

    public var hasFixedCost: Bool { stop.tolerance == 0 && windowSpan == nil }
    public var decidesOverTheBatch: Bool { stop.tolerance > 0 }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        var start = 0
        let workspace = PicardWorkspace()
        while start < grid.steps {
            var n = min(windowSteps ?? grid.steps, grid.steps - start)
            if let windowSpan {
                let lambda0 = ForwardProcess.logSNR(grid.times[start])
                n = 1
                while start + n < grid.steps,
                      ForwardProcess.logSNR(grid.times[start + n + 1]) - lambda0 <= windowSpan * (1 + 1e-12) { n += 1 }
            }
            try solveWindow(&x, grid: grid, first: start, count: n, workspace: workspace, context: context)
            start += n
            if let corrector {
                try corrector.correctInParallel(&x, tau: grid.times[start], randomStep: start, stepIndex: start - 1,
                                                context: context)
            }
            try context.finishStep(start - 1, of: grid, x)
        }
    }

    /// Picard iteration over grid steps `first ..< first + count`; on return `x` is the window's end state.
    func solveWindow(_ x: inout Matrix, grid: TimeGrid, first: Int, count n: Int, workspace: PicardWorkspace,
                     context: SamplingContext) throws(SamplingError) {
        let p = x.rows
        let window = PicardWindow(grid: grid, first: first, steps: n, particles: p, jacobianVariance: jacobianVariance,
                                  context: context)
        workspace.prepare(rows: 2 * n * p, columns: x.columns, particles: p)
        workspace.startFromDDIMGuess(x, window)
        var lastChange = 0.0
        for round in 0..<stop.rounds(steps: n) {
            context.evaluator.evaluate(times: window.times, x: workspace.batch.readOnly, into: workspace.scores.view)
            let (change, finite) = workspace.rebuild(x, window)
            lastChange = change
            if !finite {
                // Name the first sub-step whose state went bad.
                let p = x.rows
                for j in 1..<max(n, 1) {
                    try context.checkFinite(workspace.batch.rows((j * p)..<((j + 1) * p)).readOnly, step: first + j - 1,
                                            tau: grid.times[first + j])
                }
                try context.checkFinite(workspace.end.readOnly, step: first + n - 1, tau: grid.times[first + n])
            }
            if stop.tolerance > 0, round > 0, change < stop.tolerance { break }
        }
        context.diagnostics.recordPicardResidual(lastChange)
        x = workspace.end.matrix
    }
}
