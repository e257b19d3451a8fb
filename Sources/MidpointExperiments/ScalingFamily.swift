import Foundation
import MidpointDiffusion
import MidpointScoreModels
import MidpointTargets

/// The family of targets whose cost the scaling study measures against the dimension, with the exact
/// error measure that goes with each.
public enum ScalingFamily: String, CaseIterable, Sendable {
    /// `N(0, diag(λ))`, λ log-spaced in [0.1, 1]; measured by ``LinearGaussianW2``.
    case product
    /// Every coordinate `0.4 N(-2, 0.3) + 0.6 N(1.5, 0.15)`, independent; measured by ``ProductMixtureW2``.
    case mixture

    /// One run's outcome under a family's error measure.
    public typealias Outcome = (w2: Double, nfe: Double, rounds: Int, seconds: Double)
    /// A family's error measure at one dimension: runs the sampler and returns its W2 and cost.
    public typealias Measure = (any DiffusionSampler, DiffusionRunOptions) throws(SamplingError) -> Outcome

    /// The family's target at dimension `d` and the metric that goes with it.
    /// - Parameter wrap: how samplers see the target (for example with a per-call latency).
    public func measure(dimension d: Int, wrap: @escaping (any ScoreModel) -> any ScoreModel = { $0 }) throws(SamplingError) -> Measure {
        switch self {
        case .mixture:
            let target: ProductMixtureTarget
            do {
                let marginal = try ScalarMixture(weights: [0.4, 0.6], means: [-2, 1.5], variances: [0.3, 0.15])
                target = try ProductMixtureTarget(marginal: marginal, dimension: d)
            } catch {
                throw .invalidParameter(name: "dimension", value: "\(d)", allowed: "a mixture family: \(error)")
            }
            return { (sampler, options) throws(SamplingError) in
                try ProductMixtureW2.w2(sampler, target: target, options: options, wrap: wrap)
            }
        case .product:
            let variances = (0..<d).map { pow(10, -1 + Double($0) / Double(max(d - 1, 1))) }
            return { (sampler, options) throws(SamplingError) in
                try LinearGaussianW2.w2(sampler, variances: variances, options: options, wrap: wrap)
            }
        }
    }

    /// The `particles × d` matrices the error measure holds beside the sampler's own (the product
    /// measure keeps the all-zeros run's output while the all-ones run works).
    public var heldMatrices: Int { self == .product ? 1 : 0 }

    /// What the family's error measure computes, for report headers.
    public var metricDescription: String {
        self == .mixture
            ? "W2 of the product of per-coordinate output laws vs q_δ, by quadrature over stratified starts"
            : "W2 of the output law's Gaussian fit (start noise integrated out)"
    }

    /// The family's law, for titles.
    public var lawDescription: String {
        self == .mixture ? "0.4 N(-2, 0.3) + 0.6 N(1.5, 0.15) per coordinate" : "N(0, diag(λ))"
    }
}
