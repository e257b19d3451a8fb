import MidpointLangevin
import MidpointLinearAlgebra

/// The buffers the MCMC samplers reuse from step to step for one batch of chains (`rows` chains ×
/// `columns` coordinates): each is allocated on the first step that needs it and never again, so a
/// step allocates nothing.
///
/// Scratch only: nothing in it carries over from one step to the next, so copies of a ``ChainState``
/// (the warm-up keeps one to roll back to) may share it.
public final class ChainWorkspace {
    /// Chains.
    public let rows: Int
    /// Coordinates per chain.
    public let columns: Int

    /// A workspace for `rows × columns` chains; nothing is allocated until a sampler asks.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }

    /// One standard normal per coordinate (`ula`'s noise).
    public private(set) lazy var normals = MatrixBuffer(rows: rows, columns: columns)

    /// The underdamped-Langevin buffers (`ulmc`, `rm-ulmc` and its corrector); a randomized-midpoint
    /// sampler calls ``LangevinWorkspace/prepareMidpoint()`` on it.
    public private(set) lazy var langevin = LangevinWorkspace(rows: rows, columns: columns)

    private var parallelWorkspace: ParallelULMCWorkspace?

    /// The buffers of ``ParallelRandomizedMidpointULMCSampler`` with `strata` midpoints per step
    /// (reallocated only if the number of strata changes).
    public func parallel(strata: Int) -> ParallelULMCWorkspace {
        if let w = parallelWorkspace, w.strata == strata { return w }
        let w = ParallelULMCWorkspace(chains: rows, dimension: columns, strata: strata)
        parallelWorkspace = w
        return w
    }
}
