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
        let work = state.workspace.langevin
        context.noise.fillNormal(work.z1.view, step: index, slot: slot)
        context.noise.fillNormal(work.z2.view, step: index, slot: slot + 1)
        state.move(using: context.evaluator) { x, v, gradient in
            // The force is -∇f (the product by -1 the recorded runs used, not a sign flip, which would
            // differ on a NaN's sign bit).
            let (force, g) = (work.force.base, gradient.base)
            for k in 0..<work.force.count { force[k] = g[k] * -1 }
            work.update(c, x: x, v: v, force: work.force.readOnly)
        }
    }
}
