import Foundation
import MidpointLinearAlgebra

/// The Metropolis-adjusted Langevin algorithm: propose `y = x - h ∇f(x) + √(2h) ξ`, accept with
/// probability `min(1, e^{f(x) - f(y)} q(x | y) / q(y | x))`, `q(y | x) ∝ e^{-|y - x + h∇f(x)|²/(4h)}`.
///
/// Exact: `π` is its stationary law for every `h`. One gradient and one potential evaluation per
/// step; the acceptance rate is reported (about 0.57 is the classical optimum in high dimension).
public struct MALASampler: MCMCSampler {
    public let name = "mala"
    /// The step size `h`.
    public var stepSize: Double

    /// MALA with step `stepSize`.
    public init(stepSize: Double) { self.stepSize = stepSize }

    public func validate() throws(MCMCError) {
        guard MCMCParameterRanges.stepSize.contains(stepSize) else {
            throw .invalidParameter(name: "step size", value: "\(stepSize)", allowed: "must be in \(MCMCParameterRanges.stepSize)")
        }
    }

    public func step(_ state: inout ChainState, index: Int, context: MCMCContext) {
        let (c, d) = (state.x.rows, state.x.columns)
        state.ensureGradientAndValues(context.evaluator)
        let h = stepSize, s = (2 * h).squareRoot()
        var y = Matrix(rows: c, columns: d)
        context.noise.fillNormal(&y, step: index, slot: 0)
        for k in 0..<(c * d) { y.storage[k] = state.x.storage[k] - h * state.gradient.storage[k] + s * y.storage[k] }
        var gy = Matrix(rows: c, columns: d)
        var fy = [Double](repeating: 0, count: c)
        context.evaluator.evaluate(y, into: &gy, values: &fy)
        let u = context.noise.uniforms(particles: c, step: index, slot: 1)
        for i in 0..<c {
            var forward = 0.0, backward = 0.0
            for j in 0..<d {
                let k = i * d + j
                let a = y.storage[k] - state.x.storage[k] + h * state.gradient.storage[k]
                let b = state.x.storage[k] - y.storage[k] + h * gy.storage[k]
                forward += a * a
                backward += b * b
            }
            let logRatio = state.values[i] - fy[i] - (backward - forward) / (4 * h)
            // A NaN ratio (non-finite proposal) rejects.
            if log(u[i]) < logRatio {
                state.accept(chain: i, position: y, gradient: gy, value: fy[i])
                state.accepted[i] += 1
            }
        }
        state.proposed += 1
    }
}
