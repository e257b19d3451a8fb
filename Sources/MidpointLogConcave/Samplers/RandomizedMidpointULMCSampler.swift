import MidpointLangevin
import MidpointLinearAlgebra

/// Shen & Lee's randomized-midpoint underdamped Langevin (general friction; `docs/algorithms.md` §6,
/// ``RandomizedMidpointULMCStep``): per step and chain a fresh midpoint fraction `a ~ U[0, 1]`
/// (slot 0), the force at `x` and at the random midpoint, and the exact 3×3 Gaussian noise of one
/// Brownian path (slots 1–3). Two gradient evaluations (two rounds) per step.
///
/// The midpoint makes the force integral unbiased, which removes the `O(h)` bias of the exponential
/// integrator at leading order: for the same accuracy it takes much larger steps than ``ULMCSampler``.
public struct RandomizedMidpointULMCSampler: MCMCSampler {
    public let name = "rm-ulmc"
    /// The step size `h`.
    public var stepSize: Double
    /// The friction `γ`.
    public var friction: Double

    /// Randomized-midpoint ULMC with step `stepSize` and friction `friction`.
    public init(stepSize: Double, friction: Double) {
        self.stepSize = stepSize
        self.friction = friction
    }

    public func validate() throws(MCMCError) {
        try ULMCSampler(stepSize: stepSize, friction: friction).validate()
    }

    public func step(_ state: inout ChainState, index: Int, context: MCMCContext) {
        let work = state.workspace.langevin
        work.prepareMidpoint()
        context.noise.uniforms(into: work.fractions.base, particles: work.rows, step: index, slot: 0)
        work.setMidpointSteps(friction: friction, step: stepSize)
        context.noise.fillNormal(work.z1.view, step: index, slot: 1)
        context.noise.fillNormal(work.z2.view, step: index, slot: 2)
        context.noise.fillNormal(work.z3.view, step: index, slot: 3)
        let evaluator = context.evaluator
        // The force is -∇f: the kernels take the gradient with force sign -1.
        state.move(using: evaluator) { x, v, gradient in
            work.moveToMidpoint(x: x.readOnly, v: v.readOnly, force: gradient, forceSign: -1)
            evaluator.evaluate(work.mid.readOnly, into: work.force.view)
            work.updateFromMidpoint(x: x, v: v, force: work.force.readOnly, forceSign: -1)
        }
    }
}
