import MidpointRandom

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
