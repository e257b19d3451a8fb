import MidpointLinearAlgebra

/// A reverse-time diffusion sampler: carries particles from `N(0, I)` at `τ = T` down the grid to `δ`.
///
/// A sampler owns only the integration between grid points. Initial noise, the optional final
/// denoising step, counting and timing belong to ``DiffusionRun``, so every sampler is measured the
/// same way.
public protocol DiffusionSampler: Sendable {
    /// The stable name used by the library, the CLI and reports (e.g. `ddim`).
    var name: String { get }

    /// The grid spacing the sampler is designed for, used when a run does not choose one.
    var defaultGrid: TimeGrid.Kind { get }

    /// Score evaluations per particle for a grid of `steps` steps (without the final denoising step);
    /// for a sampler that can stop early (``hasFixedCost`` false), the most it can use.
    func evaluations(steps: Int) -> Int

    /// Sequential batched model calls for a grid of `steps` steps (without the final denoising step):
    /// ``evaluations(steps:)`` for a sequential sampler, fewer for a parallel one; for a sampler that can
    /// stop early, the most it can use.
    func rounds(steps: Int) -> Int

    /// Whether a run always uses exactly ``evaluations(steps:)`` (false when a tolerance can end
    /// iterations early).
    var hasFixedCost: Bool { get }

    /// Whether the sampler decides something over the whole batch (a Picard tolerance tested on the
    /// batch's largest change): its particles then depend on which others run with them, and a shard of
    /// a run (``DiffusionRunOptions/firstParticle``) is not bit-identical to its rows of the whole run.
    var decidesOverTheBatch: Bool { get }

    /// The longest step (in OU time `τ`) the sampler takes without diverging, or nil if any step is
    /// stable. A run whose grid has a longer step is refused before any work
    /// (``SamplingError/unstableStep(sampler:step:length:limit:)``).
    var maximumStableStep: Double? { get }

    /// How many `N × d` matrices a run on a grid of `steps` steps keeps at once (for the memory estimate
    /// made before any allocation).
    func workingMatrices(steps: Int) -> Int

    /// The fewest grid steps the sampler runs (an NFE budget that fits fewer is refused as too small).
    var minimumSteps: Int { get }

    /// Integrates `x` (N × d, at `grid.horizon`) down to `grid.earlyStop`, in place.
    func run(_ x: inout Matrix, grid: TimeGrid, context: SamplingContext) throws(SamplingError)
}

extension DiffusionSampler {
    /// By default a run uses exactly ``evaluations(steps:)``.
    public var hasFixedCost: Bool { true }
    public var decidesOverTheBatch: Bool { false }

    /// By default every step length is stable.
    public var maximumStableStep: Double? { nil }

    /// By default a handful: the state, the scores and a few work buffers.
    public func workingMatrices(steps: Int) -> Int { 8 }

    /// By default one step is enough.
    public var minimumSteps: Int { 1 }

    /// By default every evaluation is its own round (a sequential sampler).
    public func rounds(steps: Int) -> Int { evaluations(steps: steps) }

    /// The most steps whose evaluations fit in `budget` (nil if not even one fits).
    public func steps(forBudget budget: Int) -> Int? {
        guard evaluations(steps: minimumSteps) <= budget else { return nil }
        var lo = minimumSteps, hi = minimumSteps
        while evaluations(steps: hi * 2) <= budget { hi *= 2 }
        hi *= 2
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if evaluations(steps: mid) <= budget { lo = mid } else { hi = mid }
        }
        return lo
    }
}
