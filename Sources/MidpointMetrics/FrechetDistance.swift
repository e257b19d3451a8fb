import MidpointLinearAlgebra

/// The Fréchet distance between two samples of features (FID's statistic when the features are an
/// Inception network's; here a small classifier's): the squared 2-Wasserstein distance between the
/// Gaussians with the samples' means and covariances,
/// `‖μ₁ - μ₂‖² + tr(Σ₁ + Σ₂ - 2 (Σ₁^½ Σ₂ Σ₁^½)^½)`.
///
/// Caveat: it is biased upward at finite N (the covariance estimates' noise adds a positive term of order
/// `d/N`), so values are comparable only at equal N — which is why every report prints it beside the
/// floor of real images at the same N.
public enum FrechetDistance {
    /// The Fréchet distance between the rows of `x` and the rows of `y` (same number of columns).
    public static func between(_ x: Matrix, _ y: Matrix) throws(LinearAlgebraError) -> Double {
        try between(mean: x.columnMeans(), covariance: x.rowCovariance(), and: y.columnMeans(), y.rowCovariance())
    }

    /// The Fréchet distance between two Gaussians given by their moments.
    public static func between(mean m1: [Double], covariance c1: Matrix, and m2: [Double], _ c2: Matrix) throws(LinearAlgebraError) -> Double {
        let w = try GaussianWasserstein.distance(mean1: m1, covariance1: c1, mean2: m2, covariance2: c2)
        return w * w
    }
}
