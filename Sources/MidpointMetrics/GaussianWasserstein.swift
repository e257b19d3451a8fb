import MidpointLinearAlgebra

/// The 2-Wasserstein distance between two Gaussians, in closed form:
/// `W₂² = |m₁ - m₂|² + tr(S₁ + S₂ - 2 (S₁^{1/2} S₂ S₁^{1/2})^{1/2})`.
///
/// Square roots come from symmetric eigendecompositions; eigenvalues that rounding pushes below zero
/// are clamped to zero. Used against a Gaussian target with the sample's mean and covariance (its
/// Gaussian fit), which makes it the "exact Gaussian W2" of a sampler on a Gaussian target.
public enum GaussianWasserstein {
    /// `W₂(N(m₁, S₁), N(m₂, S₂))`.
    public static func distance(mean1: [Double], covariance1: Matrix, mean2: [Double], covariance2: Matrix) throws(LinearAlgebraError) -> Double {
        let d = mean1.count
        guard mean2.count == d, covariance1.rows == d, covariance2.rows == d else {
            throw .shapeMismatch("means and covariances must share dimension \(d)")
        }
        let meanPart = zip(mean1, mean2).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let root1 = try SymmetricEigen(covariance1).reconstruct { max($0, 0).squareRoot() }
        var middle = root1.multiplied(by: covariance2).multiplied(by: root1)
        for i in 0..<d { for j in 0..<i { let s = 0.5 * (middle[i, j] + middle[j, i]); middle[i, j] = s; middle[j, i] = s } }
        let crossTrace = try SymmetricEigen(middle).values.reduce(0) { $0 + max($1, 0).squareRoot() }
        var trace = 0.0
        for i in 0..<d { trace += covariance1[i, i] + covariance2[i, i] }
        return max(meanPart + trace - 2 * crossTrace, 0).squareRoot()
    }
}
