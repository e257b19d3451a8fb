import MidpointLinearAlgebra
import MidpointRandom
import MidpointScoreModels

/// What a sampler works with during one run: the counted score evaluator, the run's noise streams
/// and a progress callback.
///
/// Step `n` of the grid draws its randomness at Philox step `n + 1` (step 0 is the initial noise), in
/// slots the sampler names, so every particle's path depends only on `(seed, particle)`.
public struct SamplingContext {
    /// The only route to the score model; it counts NFE and rounds.
    public let evaluator: ScoreEvaluator
    /// The run's random streams.
    public let noise: NoiseSource
    /// Called after each step with (steps done, total steps).
    public let progress: ((Int, Int) -> Void)?
    /// Where the sampler reports how its iterative solves ended.
    public let diagnostics: SamplingDiagnostics

    /// A context over `evaluator` and `noise`.
    public init(evaluator: ScoreEvaluator, noise: NoiseSource, progress: ((Int, Int) -> Void)? = nil,
                diagnostics: SamplingDiagnostics = SamplingDiagnostics()) {
        self.evaluator = evaluator
        self.noise = noise
        self.progress = progress
        self.diagnostics = diagnostics
    }

    /// Ends step `n` of `grid`: checks that `x` is finite at `τₙ₊₁` and reports progress.
    /// `knownFinite` skips the pass when the step's last update already checked every value.
    public func finishStep(_ n: Int, of grid: TimeGrid, _ x: Matrix, knownFinite: Bool = false) throws(SamplingError) {
        if !knownFinite { try checkFinite(x, step: n, tau: grid.times[n + 1]) }
        progress?(n + 1, grid.steps)
    }

    /// Throws ``SamplingError/nonFinite(step:tau:particle:)`` naming the first bad particle, if any.
    public func checkFinite(_ x: Matrix, step: Int, tau: Double) throws(SamplingError) {
        guard !x.isFinite else { return }
        let d = max(x.columns, 1)
        let bad = x.storage.firstIndex { !$0.isFinite } ?? 0
        throw .nonFinite(step: step, tau: tau, particle: bad / d)
    }

    /// ``checkFinite(_:step:tau:)`` for a view (a workspace buffer's rows).
    public func checkFinite(_ x: MatrixView, step: Int, tau: Double) throws(SamplingError) {
        guard !x.isFinite else { return }
        throw .nonFinite(step: step, tau: tau, particle: x.firstNonFiniteRow ?? 0)
    }
}
