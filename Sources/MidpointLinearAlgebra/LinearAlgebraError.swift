/// Failures of the dense linear algebra routines, with the offending value named.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// A routine that needs a square matrix got `rows × columns`.
    case notSquare(rows: Int, columns: Int)
    /// Operands whose shapes do not fit together.
    case shapeMismatch(String)
    /// Cholesky failed: the leading minor of this order is not positive definite.
    case notPositiveDefinite(leadingMinor: Int)
    /// The matrix has a NaN or infinite entry at `(row, column)`.
    case nonFinite(row: Int, column: Int)
    /// The matrix is not symmetric: `(row, column)` differs from its mirror by more than rounding.
    case notSymmetric(row: Int, column: Int)
    /// LAPACK's eigensolver reported failure with this `info`.
    case eigenFailed(info: Int)

    public var description: String {
        switch self {
        case let .notSquare(r, c): "expected a square matrix, got \(r)×\(c)"
        case let .shapeMismatch(what): "shape mismatch: \(what)"
        case let .notPositiveDefinite(k): "matrix is not positive definite (leading minor of order \(k) fails)"
        case let .nonFinite(r, c): "matrix entry (\(r), \(c)) is not finite"
        case let .notSymmetric(r, c): "matrix is not symmetric: entry (\(r), \(c)) differs from (\(c), \(r))"
        case let .eigenFailed(info): "symmetric eigendecomposition did not converge (LAPACK info \(info))"
        }
    }
}
