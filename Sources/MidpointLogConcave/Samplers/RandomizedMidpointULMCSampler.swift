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
        let (c, d) = (state.x.rows, state.x.columns)
        state.ensureGradient(context.evaluator)
        let a = context.noise.uniforms(particles: c, step: index, slot: 0)
        let coefficients = a.map { RandomizedMidpointULMCStep(friction: friction, step: stepSize, midpoint: $0) }
        var work = LangevinWorkspace(rows: c, columns: d, midpoint: true)
        context.noise.fillNormal(&work.z1, step: index, slot: 1)
        context.noise.fillNormal(&work.z2, step: index, slot: 2)
        context.noise.fillNormal(&work.z3, step: index, slot: 3)
        // The force is -∇f: the kernels take the gradient with force sign -1.
        work.withPointers(x: &state.x, v: &state.v, force: state.gradient) { $0.moveToMidpoint(coefficients, forceSign: -1) }
        var midGradient = Matrix(rows: c, columns: d)
        context.evaluator.evaluate(work.mid, into: &midGradient)
        work.withPointers(x: &state.x, v: &state.v, force: midGradient) { $0.updateFromMidpoint(coefficients, forceSign: -1) }
        state.hasGradient = false
        state.hasValues = false
    }
}
