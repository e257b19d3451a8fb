import MidpointLinearAlgebra

/// The paper's sequential predictor–corrector (Gupta, Cai & Chen 2024, `docs/algorithms.md` §7) on the
/// stable predictor: randomized-midpoint steps in the DDIM variables (``RandomizedMidpointSampler``),
/// interrupted ``corrections`` times by a short underdamped-Langevin run (``LangevinCorrector``) at the
/// current level.
///
/// The corrections sit after evenly spaced grid steps (the last one at `δ`); on the default grid, equal
/// numbers of steps are roughly equal spans of log-SNR. A correction runs for `timeScale · σ` in
/// `M = max(corrector.steps, ⌈correctorRatio · N / C⌉)` ULMC sub-steps for an `N`-step grid and
/// `C = min(corrections, N)` corrections: the corrector spends about `correctorRatio` evaluations per
/// predictor step, and its sub-steps shrink like `1/N`, so its discretization bias vanishes as the grid
/// is refined (a fixed number of sub-steps leaves a bias that does not).
/// Evaluations: `2N + C · M · (1 or 2)` (two per sub-step for the randomized-midpoint ULMC step).
public struct RandomizedMidpointPCSampler: DiffusionSampler {
    public let name = "rm-pc"
    public let summary = "**the paper's predictor–corrector**: `rm` steps with C ULMC corrections whose sub-steps shrink with the grid"
    public let costFormula = "2N + C·M (2N + 2C·M with the rm corrector)"
    public let defaultGrid = RandomizedMidpointSampler().defaultGrid
    /// As its predictor, ``RandomizedMidpointSampler/minimumSteps``.
    public let minimumSteps = RandomizedMidpointSampler().minimumSteps
    /// Corrections per run (at most one per step).
    public var corrections: Int
    /// Corrector sub-steps per predictor step, spread over the corrections.
    public var correctorRatio: Double
    /// The corrector; its ``LangevinCorrector/steps`` is the least number of sub-steps per correction.
    public var corrector: LangevinCorrector

    /// The sampler; the defaults come from the sweep in `docs/defaults/README.md`.
    public init(corrections: Int = 2, correctorRatio: Double = 0.25, corrector: LangevinCorrector = LangevinCorrector()) {
        self.corrections = corrections
        self.correctorRatio = correctorRatio
        self.corrector = corrector
    }

    /// The allowed corrections per run.
    public static let correctionsRange = 1...10_000
    /// The allowed corrector sub-steps per predictor step.
    public static let correctorRatioRange: ClosedRange<Double> = 0...100

    /// `rm-pc`'s tuning: the correction schedule and the corrector (``LangevinCorrector``).
    public struct Settings: SamplerSettings {
        /// Corrections per run.
        public var corrections: Int
        /// Corrector sub-steps per predictor step.
        public var correctorRatio: Double
        /// Least ULMC sub-steps per correction.
        public var correctorSteps: Int
        /// Corrector run time in units of `σ(τ)`.
        public var correctorTime: Double
        /// Corrector friction in units of `1/σ(τ)`.
        public var correctorFriction: Double
        /// The corrector's ULMC step.
        public var correctorIntegrator: LangevinIntegrator

        /// The tuning keys: the CLI flags without their dashes.

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case corrections, correctorRatio = "corrector-ratio", correctorSteps = "corrector-steps"
            case correctorTime = "corrector-time", correctorFriction = "corrector-friction"
            case correctorIntegrator = "corrector-integrator"
        }
        /// The keys in table order.
        public static let keys = CodingKeys.allCases.map(\.rawValue)

        /// Throws unless every value is in its range (the library's range constants).

        public func validate(sampler: String) throws(SamplingError) {
            guard RandomizedMidpointPCSampler.correctionsRange.contains(corrections) else {
                throw .invalidSetting(sampler: sampler, key: "corrections", value: "\(corrections)",
                                      allowed: "must be in \(RandomizedMidpointPCSampler.correctionsRange)")
            }
            guard RandomizedMidpointPCSampler.correctorRatioRange.contains(correctorRatio) else {
                throw .invalidSetting(sampler: sampler, key: "corrector-ratio", value: "\(correctorRatio)",
                                      allowed: "must be in \(RandomizedMidpointPCSampler.correctorRatioRange)")
            }
            try LangevinCorrector(steps: correctorSteps, timeScale: correctorTime, frictionScale: correctorFriction,
                                  integrator: correctorIntegrator).validate(sampler: sampler)
        }
    }

    /// The tuning in force, read from and written to the sampler's own properties.

    public var settings: Settings {
        get {
            Settings(corrections: corrections, correctorRatio: correctorRatio, correctorSteps: corrector.steps,
                     correctorTime: corrector.timeScale, correctorFriction: corrector.frictionScale,
                     correctorIntegrator: corrector.integrator)
        }
        set {
            corrections = newValue.corrections
            correctorRatio = newValue.correctorRatio
            corrector = LangevinCorrector(steps: newValue.correctorSteps, timeScale: newValue.correctorTime,
                                          frictionScale: newValue.correctorFriction, integrator: newValue.correctorIntegrator)
        }
    }

    /// Throws unless the settings and the sampler's other properties are usable.

    public func validate() throws(SamplingError) { try settings.validate(sampler: name) }

    /// Corrections on an `steps`-step grid.
    public func correctionCount(steps: Int) -> Int { min(max(corrections, 1), steps) }

    /// ULMC sub-steps per correction on an `steps`-step grid.
    public func subSteps(steps: Int) -> Int {
        let c = correctionCount(steps: steps)
        let wanted = (correctorRatio * Double(steps) / Double(c)).rounded(.up)
        return max(corrector.steps, wanted.isFinite ? Int(min(wanted, 1e6)) : 1)
    }

    public func evaluations(steps: Int) -> Int {
        2 * steps + correctionCount(steps: steps) * subSteps(steps: steps) * corrector.integrator.evaluationsPerStep
    }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        let (n, c) = (grid.steps, correctionCount(steps: grid.steps))
        let subSteps = subSteps(steps: n)
        var step = RandomizedMidpointNoiseStep(rows: x.rows, columns: x.columns)
        let buffers = LangevinBuffers(rows: x.rows, columns: x.columns)
        for k in 0..<n {
            // The predictor's update checks finiteness; a bad state stops here, before the corrector
            // evaluates at it, and the corrector checks its own output.
            if try !step.advance(&x, from: grid.times[k], to: grid.times[k + 1], randomStep: k + 1, context: context) {
                try context.checkFinite(x, step: k, tau: grid.times[k + 1])
            }
            // Correct after step k when it crosses one of the marks N/C, 2N/C, …, N.
            if (k + 1) * c / n > k * c / n {
                try corrector.correct(&x, tau: grid.times[k + 1], randomStep: k + 1, stepIndex: k, subSteps: subSteps,
                                      buffers: buffers, context: context)
            }
            try context.finishStep(k, of: grid, x, knownFinite: true)
        }
    }
}
