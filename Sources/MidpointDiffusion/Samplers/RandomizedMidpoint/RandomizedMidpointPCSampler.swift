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
        guard corrections >= 1 else {
            throw .invalidParameter(name: "corrections", value: "\(corrections)", allowed: "must be ≥ 1")
        }
        guard correctorRatio.isFinite, correctorRatio >= 0 else {
            throw .invalidParameter(name: "corrector ratio", value: "\(correctorRatio)", allowed: "must be finite and ≥ 0")
        }
        try corrector.validate()
        let (n, c) = (grid.steps, correctionCount(steps: grid.steps))
        let subSteps = subSteps(steps: n)
        var step = RandomizedMidpointNoiseStep(rows: x.rows, columns: x.columns)
        var buffers = LangevinBuffers(rows: x.rows, columns: x.columns)
        for k in 0..<n {
            // The predictor's update checks finiteness; a bad state stops here, before the corrector
            // evaluates at it, and the corrector checks its own output.
            if try !step.advance(&x, from: grid.times[k], to: grid.times[k + 1], randomStep: k + 1, context: context) {
                try context.checkFinite(x, step: k, tau: grid.times[k + 1])
            }
            // Correct after step k when it crosses one of the marks N/C, 2N/C, …, N.
            if (k + 1) * c / n > k * c / n {
                try corrector.correct(&x, tau: grid.times[k + 1], randomStep: k + 1, stepIndex: k, subSteps: subSteps,
                                      buffers: &buffers, context: context)
            }
            try context.finishStep(k, of: grid, x, knownFinite: true)
        }
    }
}
