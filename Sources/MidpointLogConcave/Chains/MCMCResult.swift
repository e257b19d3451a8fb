/// The kept draws of an MCMC run and what they cost.
public struct MCMCResult: Sendable {
    /// Draws as a `chains × draws × d` array in one row-major buffer.
    public internal(set) var draws: [Double]
    /// Number of chains.
    public let chains: Int
    /// Draws per chain.
    public let drawsPerChain: Int
    /// Dimension.
    public let dimension: Int
    /// Gradient evaluations per chain, warm-up included.
    public let gradientEvaluations: Double
    /// Sequential batched evaluation rounds, warm-up included.
    public let rounds: Int
    /// Metropolis acceptance rate (nil for unadjusted samplers).
    public let acceptanceRate: Double?
    /// Wall time of the run.
    public let seconds: Double
    /// `∇f` at every kept draw, laid out like ``draws``, when recorded.
    public var gradients: [Double]? = nil
    /// What warm-up adaptation chose, when it ran.
    public var warmup: WarmupResult? = nil

    /// Draw `t` of chain `c`, coordinate `j`.
    public subscript(chain c: Int, draw t: Int, coordinate j: Int) -> Double {
        draws[(c * drawsPerChain + t) * dimension + j]
    }

    /// Coordinate `j` as `chains` arrays of `drawsPerChain` draws (the layout diagnostics take).
    public func chainsOfCoordinate(_ j: Int) -> [[Double]] {
        (0..<chains).map { c in (0..<drawsPerChain).map { self[chain: c, draw: $0, coordinate: j] } }
    }
}
