import MidpointLinearAlgebra

/// The covariance of one Gaussian component.
public enum Covariance: Sendable, Equatable {
    /// `v I`.
    case isotropic(Double)
    /// `diag(v)`.
    case diagonal([Double])
    /// A full symmetric positive-definite matrix.
    case full(Matrix)

    /// The diagonal entry `i` (a variance), without densifying.
    public func variance(_ i: Int) -> Double {
        switch self {
        case let .isotropic(v): v
        case let .diagonal(v): v[i]
        case let .full(m): m[i, i]
        }
    }

    /// The covariance as a dense `d × d` matrix.
    public func dense(dimension d: Int) -> Matrix {
        switch self {
        case let .isotropic(v): Matrix.diagonal([Double](repeating: v, count: d))
        case let .diagonal(v): Matrix.diagonal(v)
        case let .full(m): m
        }
    }
}
