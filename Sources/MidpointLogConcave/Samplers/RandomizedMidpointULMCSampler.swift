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
        var z1 = Matrix(rows: c, columns: d), z2 = z1, z3 = z1
        context.noise.fillNormal(&z1, step: index, slot: 1)
        context.noise.fillNormal(&z2, step: index, slot: 2)
        context.noise.fillNormal(&z3, step: index, slot: 3)
        var mid = Matrix(rows: c, columns: d)
        state.x.storage.withUnsafeBufferPointer { x in
            state.v.storage.withUnsafeBufferPointer { v in
                state.gradient.storage.withUnsafeBufferPointer { g in
                    z1.storage.withUnsafeBufferPointer { n1 in
                        mid.storage.withUnsafeMutableBufferPointer { m in
                            for i in 0..<c {
                                let k = coefficients[i]
                                for j in (i * d)..<((i + 1) * d) {
                                    m[j] = x[j] + k.midVelocity * v[j] - k.midForce * g[j] + k.factor.0 * n1[j]
                                }
                            }
                        }
                    }
                }
            }
        }
        var midGradient = Matrix(rows: c, columns: d)
        context.evaluator.evaluate(mid, into: &midGradient)
        state.x.storage.withUnsafeMutableBufferPointer { x in
            state.v.storage.withUnsafeMutableBufferPointer { v in
                midGradient.storage.withUnsafeBufferPointer { g in
                    z1.storage.withUnsafeBufferPointer { n1 in
                        z2.storage.withUnsafeBufferPointer { n2 in
                            z3.storage.withUnsafeBufferPointer { n3 in
                                for i in 0..<c {
                                    let k = coefficients[i]
                                    let f = k.factor
                                    for j in (i * d)..<((i + 1) * d) {
                                        let vj = v[j]
                                        x[j] += k.positionVelocity * vj - k.positionForce * g[j] + f.1 * n1[j] + f.2 * n2[j]
                                        v[j] = k.velocityVelocity * vj - k.velocityForce * g[j] + f.3 * n1[j] + f.4 * n2[j]
                                            + f.5 * n3[j]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        state.hasGradient = false
        state.hasValues = false
    }
}
