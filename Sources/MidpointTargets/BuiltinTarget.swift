import Foundation
import MidpointLinearAlgebra
import MidpointRandom

/// The named targets that ship with Midpoint. Random parameters (means, rotations) are drawn from
/// Philox with fixed seeds, so every machine builds the same targets.
public enum BuiltinTarget: String, CaseIterable, Sendable {
    /// 8 isotropic Gaussians (variance 0.05) evenly spaced on the circle of radius 2.
    case ring2d
    /// 10-component anisotropic Gaussian mixture in 64-D.
    case mixture64
    /// 1024-D product of a bimodal 1-D mixture.
    case product1024
    /// 256-D rotated Gaussian with condition number 1000.
    case gauss256

    /// The dimension `d`.
    public var dimension: Int {
        switch self {
        case .ring2d: 2
        case .mixture64: 64
        case .product1024: 1024
        case .gauss256: 256
        }
    }

    /// One line saying what the target is.
    public var summary: String {
        switch self {
        case .ring2d: "8 equal Gaussians (variance 0.05) on a circle of radius 2"
        case .mixture64: "10 Gaussians, diagonal covariances (variances 0.05–1), weights ∝ 1…10, means ~ N(0, I)"
        case .product1024: "each coordinate 0.4 N(-2, 0.3) + 0.6 N(1.5, 0.15), independent"
        case .gauss256: "N(m, U diag(λ) Uᵀ), λ log-spaced in [1e-3, 1] (condition 1000), random rotation U"
        }
    }

    /// Builds the target.
    public func make() -> any ExactTarget {
        // The parameters below are valid by construction; a failure here is a programming error.
        do {
            switch self {
            case .ring2d:
                let comps = (0..<8).map { k -> GaussianComponent in
                    let angle = 2 * Double.pi * Double(k) / 8
                    return GaussianComponent(mean: [2 * cos(angle), 2 * sin(angle)], covariance: .isotropic(0.05))
                }
                return try GaussianMixtureTarget(components: comps, summary: summary)
            case .mixture64:
                let d = 64, k = 10
                let noise = NoiseSource(seed: 0x6D69_7874_7572_6536)
                var means = Matrix(rows: k, columns: d)
                var u = Matrix(rows: k, columns: d)
                noise.fillNormal(&means, step: 0, slot: 0)
                noise.fillUniform(&u, step: 0, slot: 1)
                let comps = (0..<k).map { c in
                    GaussianComponent(
                        weight: Double(c + 1), mean: means.row(c),
                        covariance: .diagonal(u.row(c).map { exp(log(0.05) + $0 * (log(1.0) - log(0.05))) }))
                }
                return try GaussianMixtureTarget(components: comps, summary: summary)
            case .product1024:
                let marginal = try ScalarMixture(weights: [0.4, 0.6], means: [-2, 1.5], variances: [0.3, 0.15])
                return try ProductMixtureTarget(marginal: marginal, dimension: 1024, summary: summary)
            case .gauss256:
                let d = 256
                let noise = NoiseSource(seed: 0x6761_7573_7332_3536)
                var a = Matrix(rows: d, columns: d)
                noise.fillNormal(&a, step: 0, slot: 0)
                var symmetric = a
                for i in 0..<d { for j in 0..<d { symmetric[i, j] = a[i, j] + a[j, i] } }
                let rotation = try SymmetricEigen(symmetric).vectors
                let lambdas = (0..<d).map { pow(10, -3 + 3 * Double($0) / Double(d - 1)) }
                var scaled = rotation
                for i in 0..<d { for j in 0..<d { scaled[i, j] *= lambdas[j] } }
                var cov = scaled.multiplied(by: rotation.transposed())
                for i in 0..<d { for j in 0..<i { let s = 0.5 * (cov[i, j] + cov[j, i]); cov[i, j] = s; cov[j, i] = s } }
                var mean = Matrix(rows: 1, columns: d)
                noise.fillNormal(&mean, step: 0, slot: 1)
                return try GaussianMixtureTarget(mean: mean.storage.map { 0.5 * $0 }, covariance: .full(cov), summary: summary)
            }
        } catch {
            preconditionFailure("built-in target \(rawValue) failed to build: \(error)")
        }
    }
}
