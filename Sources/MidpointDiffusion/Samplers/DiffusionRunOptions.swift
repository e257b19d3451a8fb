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
    /// Horizon `T`: sampling starts from `N(0, I)` there. Default 8, where `q_T` differs from `N(0, I)`
    /// by at most `e^{-8} ≈ 3.4e-4` times the data's root mean square (in W2).
    public var horizon: Double = 8
    /// Early stopping time `δ`. Default 1e-3.
    public var earlyStop: Double = 1e-3
    /// Grid spacing when no explicit grid is given. Default (nil): the sampler's own
    /// (``DiffusionSampler/defaultGrid``).
    public var gridKind: TimeGrid.Kind? = nil
    /// An explicit grid (from `T` down to `δ`); overrides `gridKind`, `horizon` and `earlyStop`.
    public var explicitGrid: [Double]? = nil
    /// Whether to finish with one Tweedie denoising step `x ← x̂₀(δ, x)` (1 NFE). Default true.
    public var denoise: Bool = true
    /// Worker threads for score evaluations and noise. Results do not depend on it.
    public var threads: Int = 1

    /// Options for `particles` particles under `seed`, defaults elsewhere.
    public init(particles: Int, seed: UInt64) {
        self.particles = particles
        self.seed = seed
    }

    /// Throws if a parameter is out of range (particles, threads, T, δ).
    public func validate() throws(SamplingError) {
        guard particles >= 1 else {
            throw .invalidParameter(name: "particles", value: "\(particles)", allowed: "must be ≥ 1")
        }
        guard threads >= 1, threads <= 1024 else {
            throw .invalidParameter(name: "threads", value: "\(threads)", allowed: "must be in 1...1024")
        }
        switch cost {
        case let .steps(n) where n < 1:
            throw .invalidParameter(name: "steps", value: "\(n)", allowed: "must be ≥ 1")
        case let .nfe(n) where n < 1:
            throw .invalidParameter(name: "NFE budget", value: "\(n)", allowed: "must be ≥ 1")
        default: break
        }
    }
}
