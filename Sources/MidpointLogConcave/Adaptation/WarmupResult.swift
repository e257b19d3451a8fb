import Foundation
import MidpointLinearAlgebra

/// What warm-up chose and what it cost (printed by `midpoint mcmc`, counted in every cost).
public struct WarmupResult: Sendable {
    /// The target in the final preconditioned coordinates, with the final curvature estimates.
    public let potential: PreconditionedPotential
    /// The sampler tuned for it.
    public let sampler: any MCMCSampler
    /// The chains' positions at the end of warm-up, in preconditioned coordinates.
    public let state: Matrix
    /// The final curvature estimate of the preconditioned potential.
    public let curvature: CurvatureEstimate
    /// The tuned parameters (step size, friction, corrector window and step).
    public let parameters: MCMCSamplerRegistry.Parameters
    /// Gradient evaluations per chain spent in warm-up, curvature probes included.
    public let gradientEvaluations: Double
    /// Sequential batched evaluations spent in warm-up.
    public let rounds: Int
    /// MALA's acceptance rate over the final fast phase (nil for unadjusted samplers).
    public let acceptance: Double?
    /// The search for the mode warm-up started from (nil when it started elsewhere).
    public var modeSearch: ModeSearch? = nil

    /// One line saying what was chosen.
    public var description: String {
        var parts: [String] = []
        if let m = modeSearch {
            parts.append(m.converged ? "started at the mode (\(m.iterations) L-BFGS iterations, \(m.gradientEvaluations) gradients)"
                                     : "mode search did not converge (\(m.iterations) iterations, ‖∇f‖∞ = \(Self.format(m.gradientNorm))): started from N(0, I)")
        }
        if let h = parameters.stepSize { parts.append("h = \(Self.format(h))") }
        if let g = parameters.friction { parts.append("γ = \(Self.format(g))") }
        if let w = parameters.correctorWindow { parts.append("corrector every \(w) steps") }
        let scales = potential.scale
        parts.append("\(potential.factor == nil ? "diagonal" : "dense") preconditioner, sd \(Self.format(scales.min() ?? .nan))…\(Self.format(scales.max() ?? .nan))")
        parts.append("curvature L̃ = \(Self.format(curvature.largest)), m̃ = \(Self.format(curvature.smallest))")
        if let acceptance { parts.append("acceptance \(Self.format(acceptance))") }
        parts.append("\(Self.format(gradientEvaluations)) gradients/chain")
        return "warm-up: " + parts.joined(separator: ", ")
    }

    static func format(_ v: Double) -> String {
        guard v.isFinite else { return "\(v)" }
        let a = abs(v)
        if a != 0 && (a < 1e-3 || a >= 1e5) { return String(format: "%.3g", v) }
        return String(format: "%.4g", v)
    }
}
