import MidpointLinearAlgebra

/// How far a sample's first two moments are from a target's exact ones.
///
/// - `meanError = ‖m̂ - m‖₂`, the Euclidean distance between the sample mean and the exact mean;
/// - `covarianceError = ‖Ĉ - C‖_F / ‖C‖_F`, the relative Frobenius error of the sample covariance
///   (divisor `N - 1`).
///
/// Both include the sampling error of `N` particles: for exact samples `E‖m̂ - m‖² = tr C / N`, so
/// errors below about `√(tr C / N)` cannot be told from noise.
public struct MomentErrors: Sendable, Equatable {
    /// `‖m̂ - m‖₂`.
    public let meanError: Double
    /// `‖Ĉ - C‖_F / ‖C‖_F`.
    public let covarianceError: Double

    /// `‖m̂ - m‖₂` alone (no covariance: `O(N d)` time and `O(d)` memory at any dimension).
    public static func meanError(samples: Matrix, mean: [Double]) -> Double {
        zip(samples.columnMeans(), mean).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }

    /// Compares the rows of `samples` with the exact `mean` and `covariance`.
    /// - Precondition: at least two rows; shapes agree.
    public init(samples: Matrix, mean: [Double], covariance: Matrix) {
        precondition(samples.columns == mean.count && covariance.rows == mean.count, "dimension mismatch")
        meanError = Self.meanError(samples: samples, mean: mean)
        let c = samples.rowCovariance()
        var diff = 0.0
        for i in 0..<c.storage.count {
            let e = c.storage[i] - covariance.storage[i]
            diff += e * e
        }
        covarianceError = diff.squareRoot() / covariance.frobeniusNorm
    }
}
