import MidpointLinearAlgebra

/// The unadjusted Langevin algorithm: `x' = x - h ∇f(x) + √(2h) ξ`.
///
/// One gradient evaluation per step. Biased: its stationary law differs from `π` by `O(h)`
/// (for a Gaussian, variances `λ/(1 - hλ⁻¹/2)` instead of `λ`), and it needs `h < 2/L` to be stable.
public struct ULASampler: MCMCSampler {
    public let name = "ula"
    /// The step size `h`.
    public var stepSize: Double

    /// ULA with step `stepSize`.
    public init(stepSize: Double) { self.stepSize = stepSize }

    public func validate() throws(MCMCError) {
        guard MCMCParameterRanges.stepSize.contains(stepSize) else {
            throw .invalidParameter(name: "step size", value: "\(stepSize)", allowed: "must be in \(MCMCParameterRanges.stepSize)")
        }
    }

    public func step(_ state: inout ChainState, index: Int, context: MCMCContext) {
        let xi = state.workspace.normals
        context.noise.fillNormal(xi.view, step: index, slot: 0)
        let (h, s) = (stepSize, (2 * stepSize).squareRoot())
        state.move(using: context.evaluator) { x, _, g in
            let (x, g, z) = (x.base, g.base, xi.base)
            for k in 0..<xi.count { x[k] += -h * g[k] + s * z[k] }
        }
    }
}
