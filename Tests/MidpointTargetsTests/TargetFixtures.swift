import MidpointLinearAlgebra
import MidpointTargets

/// Small targets of every kind, for score and sampling tests.
enum TargetFixtures {
    static let fullCovariance = Matrix(rowArrays: [[1.0, 0.3, -0.2], [0.3, 0.5, 0.1], [-0.2, 0.1, 0.8]])

    static func all() throws -> [(String, any ExactTarget)] {
        [
            ("gaussian-isotropic", try GaussianMixtureTarget(mean: [1, -1, 0.5], covariance: .isotropic(0.3))),
            ("gaussian-diagonal", try GaussianMixtureTarget(mean: [1, -1, 0.5], covariance: .diagonal([0.2, 1.5, 0.05]))),
            ("gaussian-full", try GaussianMixtureTarget(mean: [0.2, 0, -0.4], covariance: .full(fullCovariance))),
            ("mixture-isotropic", try GaussianMixtureTarget(components: [
                GaussianComponent(weight: 0.2, mean: [1, 0, 0], covariance: .isotropic(0.1)),
                GaussianComponent(weight: 0.5, mean: [-1, 1, 0], covariance: .isotropic(0.3)),
                GaussianComponent(weight: 0.3, mean: [0, -1, 1], covariance: .isotropic(0.2)),
            ])),
            ("mixture-diagonal", try GaussianMixtureTarget(components: [
                GaussianComponent(weight: 1, mean: [1, 0, 0], covariance: .diagonal([0.1, 0.4, 0.2])),
                GaussianComponent(weight: 3, mean: [-1, 0.5, 0], covariance: .diagonal([0.3, 0.05, 0.6])),
            ])),
            ("mixture-mixed", try GaussianMixtureTarget(components: [
                GaussianComponent(weight: 1, mean: [0.5, 0, 0], covariance: .full(fullCovariance)),
                GaussianComponent(weight: 2, mean: [-1, 0.5, 0], covariance: .diagonal([0.3, 0.05, 0.6])),
                GaussianComponent(weight: 1, mean: [0, -1, 1], covariance: .isotropic(0.2)),
            ])),
            ("product-2", try ProductMixtureTarget(
                marginal: ScalarMixture(weights: [0.4, 0.6], means: [-2, 1.5], variances: [0.3, 0.15]), dimension: 7)),
            ("product-3", try ProductMixtureTarget(
                marginal: ScalarMixture(weights: [1, 2, 1], means: [-1, 0, 2], variances: [0.1, 0.2, 0.05]), dimension: 4)),
        ]
    }
}
