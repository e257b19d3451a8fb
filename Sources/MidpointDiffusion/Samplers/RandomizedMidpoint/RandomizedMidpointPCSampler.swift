import MidpointLinearAlgebra

/// The paper's sequential predictor–corrector (Gupta, Cai & Chen 2024, `ALGORITHMS.md` §7): windows
/// of randomized-midpoint predictor steps (``RandomizedMidpointSampler``), each followed by a short
/// underdamped-Langevin correction (``LangevinCorrector``) at the window's end level.
///
/// A window is `windowSteps` grid steps; on the default log-SNR grid a step has length
/// `h ≈ Δλ · σ²`, so a window has length `≍ 1/L` as the paper asks. Evaluations:
/// `2N + corrector.steps · ⌈N / windowSteps⌉`.
public struct RandomizedMidpointPCSampler: DiffusionSampler {
    public let name = "rm-pc"
    public let defaultGrid = TimeGrid.Kind.uniformLogSNR
    /// Predictor steps per window.
    public var windowSteps: Int
    /// The corrector run after each window.
    public var corrector: LangevinCorrector

    /// The sampler; the defaults come from the sweep documented in the README.
    public init(windowSteps: Int = 2, corrector: LangevinCorrector = LangevinCorrector()) {
        self.windowSteps = windowSteps
        self.corrector = corrector
    }

    public func evaluations(steps: Int) -> Int {
        2 * steps + corrector.steps * ((steps + windowSteps - 1) / windowSteps)
    }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        guard windowSteps >= 1 else {
            throw .invalidParameter(name: "window steps", value: "\(windowSteps)", allowed: "must be ≥ 1")
        }
        try corrector.validate()
        var step = RandomizedMidpointStep(rows: x.rows, columns: x.columns)
        var buffers = LangevinBuffers(rows: x.rows, columns: x.columns)
        for n in 0..<grid.steps {
            // The predictor's update checks finiteness; a bad state stops here, before the corrector
            // evaluates at it, and the corrector checks its own output.
            if try !step.advance(&x, from: grid.times[n], to: grid.times[n + 1], randomStep: n + 1, context: context) {
                try context.checkFinite(x, step: n, tau: grid.times[n + 1])
            }
            if (n + 1) % windowSteps == 0 || n == grid.steps - 1 {
                try corrector.correct(&x, tau: grid.times[n + 1], randomStep: n + 1, stepIndex: n,
                                      buffers: &buffers, context: context)
            }
            try context.finishStep(n, of: grid, x, knownFinite: true)
        }
    }
}
