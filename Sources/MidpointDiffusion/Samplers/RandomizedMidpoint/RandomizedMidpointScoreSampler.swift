import Foundation
import MidpointLinearAlgebra

/// The paper's randomized-midpoint predictor in the form the paper analyses: OU time, score
/// parameterization (Gupta, Cai & Chen 2024; `docs/algorithms.md` §5.1).
///
/// Per step and particle, with `a ~ U[0, 1]` drawn fresh (slot 1):
/// ```
/// x_mid = e^{ah} x + (e^{ah} - 1) s(τₙ, x)
/// x'    = e^h x + h e^{(1-a)h} s(τₙ - ah, x_mid)
/// ```
/// Two evaluations per step; each particle's midpoint has its own time. Unbiased for the exact
/// step's integral, and stable only for `h ≲ 1/L` (`L ≈ 1/σ²` near the data), so the grid must shrink
/// toward `δ`: the default log-SNR grid does.
///
/// Kept for reference and for the analysis; prefer ``RandomizedMidpointSampler`` (`rm`), the same
/// estimator in the DDIM variables. Here the step multiplies `x` by `e^h - h e^{(1-a)h}`, whose spread
/// over `a` grows like `e^h`: on the long first steps of a short grid it diverges (≤ 20 NFE).
public struct RandomizedMidpointScoreSampler: DiffusionSampler {
    public let name = "rm-score"
    /// Peak memory in batch-sized (N × d) matrices: the state, its score and this sampler's own buffers
    /// (measured: 3.09 × 8·N·d bytes above the process's own at N = 200,000, d = 64).
    public func workingMatrices(steps: Int) -> Int { 3 }
    public let summary = "the paper's randomized midpoint in OU time on the score, the form its analysis uses; refuses steps longer than 1"
    public let costFormula = "2N"
    /// On the standard normal the step's factor `e^h - h e^{(1-a)h}` ranges over `[e^h(1 - h), e^h - h]`:
    /// `[0, e - 1]` at `h = 1`; beyond, its lower end turns negative and the spread grows like `e^h`, so longer
    /// steps are refused.
    public let maximumStableStep: Double? = 1
    public let defaultGrid = TimeGrid.Kind.uniformLogSNR

    /// The sampler.
    public init() {}

    public func evaluations(steps: Int) -> Int { 2 * steps }

    public func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError) {
        var step = RandomizedMidpointScoreStep(rows: x.rows, columns: x.columns)
        for n in 0..<grid.steps {
            let finite = try step.advance(&x, from: grid.times[n], to: grid.times[n + 1], randomStep: n + 1,
                                          context: context)
            try context.finishStep(n, of: grid, x, knownFinite: finite)
        }
    }
}
