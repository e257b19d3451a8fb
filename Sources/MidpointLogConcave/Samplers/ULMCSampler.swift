import MidpointLangevin
import MidpointLinearAlgebra

/// Underdamped Langevin Monte Carlo with the exponential integrator (``ULMCStep``, `docs/algorithms.md`
/// §6): `dx = v dt`, `dv = -γv dt - ∇f(x) dt + √(2γ) dB` with the force frozen over each step and the
/// Brownian part integrated exactly. One gradient evaluation per step; `O(h)` bias in the stationary
/// law.
public struct ULMCSampler: MCMCSampler {
    public let name = "ulmc"
    /// The step size `h`.
    public var stepSize: Double
    /// The friction `γ`.
    public var friction: Double

    /// ULMC with step `stepSize` and friction `friction`.
    public init(stepSize: Double, friction: Double) {
        self.stepSize = stepSize
        self.friction = friction
    }

    public func validate() throws(MCMCError) {
        guard MCMCParameterRanges.stepSize.contains(stepSize) else {
            throw .invalidParameter(name: "step size", value: "\(stepSize)", allowed: "must be in \(MCMCParameterRanges.stepSize)")
        }
        guard MCMCParameterRanges.friction.contains(friction) else {
            throw .invalidParameter(name: "friction", value: "\(friction)", allowed: "must be in \(MCMCParameterRanges.friction)")
        }
    }

    public func step(_ state: inout ChainState, index: Int, context: MCMCContext) {
        Self.advance(&state, coefficients: ULMCStep(friction: friction, step: stepSize), index: index, slot: 0,
                     context: context)
    }

    /// One exponential-integrator step of every chain with noise slots `slot`, `slot + 1`.
    static func advance(_ state: inout ChainState, coefficients c: ULMCStep, index: Int, slot: Int, context: MCMCContext) {
        state.ensureGradient(context.evaluator)
        var work = LangevinWorkspace(rows: state.x.rows, columns: state.x.columns)
        context.noise.fillNormal(&work.z1, step: index, slot: slot)
        context.noise.fillNormal(&work.z2, step: index, slot: slot + 1)
        // The force is -∇f: negate in place, apply, and mark the gradient stale.
        state.gradient.scale(by: -1)
        work.withPointers(x: &state.x, v: &state.v, force: state.gradient) { $0.update(c) }
        state.hasGradient = false
        state.hasValues = false
    }
}
