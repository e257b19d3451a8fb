import MidpointScoreModels
/// The parameters of a sampling run, with documented defaults.
public struct DiffusionRunOptions: Sendable {
    /// How much work a run may do.
    public enum Cost: Sendable, Equatable {
        /// A fixed number of grid steps.
        case steps(Int)
        /// The most steps whose score evaluations per particle, final denoising included, fit the budget.
        case nfe(Int)
    }

    /// Number of particles `N`.
    public var particles: Int
    /// Seed of every random stream in the run.
    public var seed: UInt64
    /// Steps or NFE budget. Default: 50 steps.
    public var cost: Cost = .steps(50)
    /// Horizon `T`: sampling starts from `N(0, I)` there. Default ``defaultHorizon`` ≈ 4.38.
    public var horizon: Double = DiffusionRunOptions.defaultHorizon
    /// Early stopping time `δ`. Default (nil): the sampler's own for the run's steps
    /// (``DiffusionSampler/defaultEarlyStop(steps:denoise:)``; ``defaultEarlyStop`` for most samplers).
    public var earlyStop: Double? = nil
    /// Grid spacing when no explicit grid is given. Default (nil): the sampler's own
    /// (``DiffusionSampler/defaultGrid``).
    public var gridKind: TimeGrid.Kind? = nil
    /// An explicit grid (from `T` down to `δ`); overrides `gridKind`, `horizon` and `earlyStop`.
    public var explicitGrid: [Double]? = nil
    /// Whether to finish with one Tweedie denoising step `x ← x̂₀(δ, x)` (1 NFE). Default true.
    public var denoise: Bool = true
    /// Worker threads for score evaluations and noise. Results do not depend on it.
    public var threads: Int = 1
    /// The index of this run's first particle in a larger run it is a shard of (0 for a whole run): its
    /// particles then draw exactly the streams they would in the whole run, so concatenated shards are
    /// bit-identical to it (for samplers that decide nothing over the batch; see
    /// ``DiffusionSampler/decidesOverTheBatch``).
    public var firstParticle: Int = 0

    /// The default horizon, `τ ≈ 4.382` where `σ/α = 80` (EDM's `σ_max`).
    ///
    /// Chosen by measurement (`docs/defaults/README.md`): over every sampler, the built-in targets and the
    /// digits model at NFE 5–50, `T ≈ 4.4` ranked first for every sampler against 5.03 (DDPM's end), 6
    /// and 8. Every unit of `τ` above what the data need costs steps; what is left of the data's signal at
    /// `T` is `e^{-T} ≈ 1.2%` of its scale, below what 5–50 steps resolve.
    public static let defaultHorizon = ForwardProcess.tau(noiseToSignal: TimeGrid.edmMaxNoiseToSignal)

    /// The early-stopping time `δ = 10⁻³` of every sampler that does not choose its own (`σ(δ) ≈ 0.045`).
    public static let defaultEarlyStop = 1e-3

    /// Options for `particles` particles under `seed`, defaults elsewhere.
    public init(particles: Int, seed: UInt64) {
        self.particles = particles
        self.seed = seed
    }

    /// Options with the run's cost, times, grid, denoising and threads given (the CLI's flags).
    public init(particles: Int, seed: UInt64, cost: Cost, horizon: Double, earlyStop: Double?, gridKind: TimeGrid.Kind?,
                denoise: Bool, threads: Int) {
        (self.particles, self.seed, self.cost, self.horizon) = (particles, seed, cost, horizon)
        (self.earlyStop, self.gridKind, self.denoise, self.threads) = (earlyStop, gridKind, denoise, threads)
    }

    /// The allowed particle counts (one source for the library and the CLI).
    public static let particlesRange = 1...100_000_000
    /// The allowed worker thread counts.
    public static let threadsRange = 1...1024
    /// The allowed grid step counts and NFE budgets.
    public static let costRange = 1...1_000_000

    /// Throws if a parameter is out of range (particles, threads, steps or budget).
    public func validate() throws(SamplingError) {
        guard firstParticle >= 0 else {
            throw .invalidParameter(name: "first particle", value: "\(firstParticle)", allowed: "must be ≥ 0")
        }
        guard Self.particlesRange.contains(particles) else {
            throw .invalidParameter(name: "particles", value: "\(particles)", allowed: "must be in \(Self.particlesRange)")
        }
        guard Self.threadsRange.contains(threads) else {
            throw .invalidParameter(name: "threads", value: "\(threads)", allowed: "must be in \(Self.threadsRange)")
        }
        switch cost {
        case let .steps(n) where !Self.costRange.contains(n):
            throw .invalidParameter(name: "steps", value: "\(n)", allowed: "must be in \(Self.costRange)")
        case let .nfe(n) where !Self.costRange.contains(n):
            throw .invalidParameter(name: "NFE budget", value: "\(n)", allowed: "must be in \(Self.costRange)")
        default: break
        }
    }
}
