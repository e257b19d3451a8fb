import MidpointLinearAlgebra
import Foundation

/// How an MCMC run is laid out: chains, warm-up, kept draws, thinning, seed and threads.
public struct MCMCOptions: Sendable {
    /// Number of chains run in one batch.
    public var chains: Int
    /// Draws kept per chain (after warm-up and thinning).
    public var draws: Int
    /// Warm-up steps per chain, discarded.
    public var warmup: Int
    /// Keep every `thin`-th step after warm-up.
    public var thin = 1
    /// Seed of every random stream.
    public var seed: UInt64
    /// Worker threads (results do not depend on it).
    public var threads = 1
    /// Standard deviation of the `N(0, s² I)` starting points (ignored when a start is given).
    public var initialScale = 1.0
    /// Philox step of the starting draws; step `n` of the run uses Philox step `stepOffset + n`. A run
    /// that continues another (sampling after warm-up) starts past the steps the first one used.
    public var stepOffset = 0
    /// Whether to keep `∇f` at every kept draw (for the discretization-bias check). The next step needs
    /// that gradient anyway, so it costs one evaluation per chain in all.
    public var recordGradients = false

    /// Options with `chains` chains keeping `draws` draws after `warmup` steps.
    public init(chains: Int, draws: Int, warmup: Int, seed: UInt64) {
        self.chains = chains
        self.draws = draws
        self.warmup = warmup
        self.seed = seed
    }

    /// The allowed chain counts (one source for the library and the CLI).
    public static let chainsRange = 1...1_000_000
    /// The allowed draws kept per chain.
    public static let drawsRange = 1...10_000_000
    /// The allowed warm-up steps per chain (a step count whose product with the thinning stays far from
    /// overflowing the step index).
    public static let warmupRange = 0...100_000_000
    /// The allowed thinning factors.
    public static let thinRange = 1...1_000_000
    /// The allowed worker thread counts.
    public static let threadsRange = 1...256

    /// Throws unless every field is usable.
    public func validate() throws(MCMCError) {
        for (name, value, range) in [("chains", chains, Self.chainsRange), ("draws", draws, Self.drawsRange),
                                     ("warmup", warmup, Self.warmupRange), ("thin", thin, Self.thinRange),
                                     ("threads", threads, Self.threadsRange)] where !range.contains(value) {
            throw .invalidParameter(name: name, value: "\(value)", allowed: "must be in \(range)")
        }
        guard initialScale.isFinite, initialScale >= 0 else {
            throw .invalidParameter(name: "initial scale", value: "\(initialScale)", allowed: "must be finite and ≥ 0")
        }
    }

    /// Bytes the kept draws of a `d`-dimensional run take (twice that with their gradients).
    public func keptBytes(dimension d: Int) -> Double {
        Double(chains) * Double(draws) * Double(d) * 8 * (recordGradients ? 2 : 1)
    }

    /// Throws ``MCMCError/insufficientMemory(bytes:budget:)`` before any work when the kept draws
    /// would take more than 80% of the memory the process may use (``MemoryBudget``).
    public func checkMemory(dimension d: Int) throws(MCMCError) {
        let (bytes, budget) = (keptBytes(dimension: d), MemoryBudget.current())
        if bytes > budget.usable { throw .insufficientMemory(bytes: bytes, budget: budget) }
    }
}
