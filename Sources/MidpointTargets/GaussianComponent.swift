import MidpointLinearAlgebra

/// One weighted Gaussian `w N(m, Σ)` of a mixture.
public struct GaussianComponent: Sendable, Equatable {
    /// Mixture weight (normalized by the mixture).
    public let weight: Double
    /// Mean `m`.
    public let mean: [Double]
    /// Covariance `Σ`.
    public let covariance: Covariance

    /// A component; validated when the mixture is built.
    public init(weight: Double = 1, mean: [Double], covariance: Covariance) {
        self.weight = weight
        self.mean = mean
        self.covariance = covariance
    }
}
