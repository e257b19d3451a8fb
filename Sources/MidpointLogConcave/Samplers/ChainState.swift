import MidpointLinearAlgebra
import MidpointRandom

/// The state of a batch of chains: positions, velocities (kinetic samplers), and the gradient and
/// potential at the positions when they are current.
public struct ChainState {
    /// Positions, one chain per row (`C × d`).
    public var x: Matrix
    /// Velocities (`C × d`); unused by `ula` and `mala`.
    public var v: Matrix
    /// `∇f(x)`, valid when ``hasGradient``.
    public var gradient: Matrix
    /// `f(x)`, valid when ``hasValues`` (MALA only).
    public var values: [Double]
    /// Whether ``gradient`` belongs to the current ``x``.
    public var hasGradient = false
    /// Whether ``values`` belong to the current ``x``.
    public var hasValues = false
    /// Accepted proposals per chain (Metropolis samplers).
    public var accepted: [Int]
    /// Proposals per chain (Metropolis samplers).
    public var proposed = 0

    /// Chains at `x` with velocities `v`.
    public init(x: Matrix, v: Matrix) {
        precondition(x.rows == v.rows && x.columns == v.columns, "positions and velocities must have the same shape")
        self.x = x
        self.v = v
        gradient = Matrix(rows: x.rows, columns: x.columns)
        values = []
        accepted = [Int](repeating: 0, count: x.rows)
    }

    /// Makes ``gradient`` current, evaluating it if needed.
    public mutating func ensureGradient(_ evaluator: GradientEvaluator) {
        guard !hasGradient else { return }
        evaluator.evaluate(x, into: &gradient)
        hasGradient = true
    }
}

/// What a sampler step sees: the counting evaluator and the noise streams.
public struct MCMCContext {
    /// The counting gradient evaluator.
    public let evaluator: GradientEvaluator
    /// Per-chain Philox streams (chain = particle index).
    public let noise: NoiseSource

    /// A context over `evaluator` and `noise`.
    public init(evaluator: GradientEvaluator, noise: NoiseSource) {
        self.evaluator = evaluator
        self.noise = noise
    }
}

/// A Markov chain Monte Carlo method for `π ∝ e^{-f}`: advances every chain of a batch by one step.
public protocol MCMCSampler: Sendable {
    /// The stable name used by the CLI and reports.
    var name: String { get }
    /// The step size `h` (the predictor's, for a predictor–corrector).
    var stepSize: Double { get }
    /// Throws unless the parameters are usable.
    func validate() throws(MCMCError)
    /// One step of every chain; `index` (≥ 1) selects the Philox draws, so a chain's path depends only
    /// on the seed, its index and the step.
    func step(_ state: inout ChainState, index: Int, context: MCMCContext)
}
