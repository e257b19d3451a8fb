import Foundation

/// The Cholesky factorization `A = L Lᵀ` of a symmetric positive-definite matrix, through LAPACK.
public struct Cholesky: Sendable {
    /// The lower-triangular factor `L` (upper triangle zeroed), row-major.
    public let lower: Matrix

    /// Factors `matrix`, reading its lower triangle.
    /// - Throws: ``LinearAlgebraError`` if the matrix is not square, has a non-finite entry, or is not
    ///   positive definite.
    public init(_ matrix: Matrix) throws(LinearAlgebraError) {
        try matrix.requireSquareAndFinite()
        let n = matrix.rows
        var l = matrix
        let info = l.storage.withUnsafeMutableBufferPointer { LAPACK.choleskyLower(n: n, a: $0.baseAddress!) }
        guard info == 0 else { throw .notPositiveDefinite(leadingMinor: info) }
        for i in 0..<n { for j in (i + 1)..<n { l[i, j] = 0 } }
        lower = l
    }

    /// `L x` for a vector `x`.
    public func multiply(_ x: [Double]) -> [Double] {
        let n = lower.rows
        precondition(x.count == n, "vector has \(x.count) entries, expected \(n)")
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = 0.0
            for j in 0...i { s += lower[i, j] * x[j] }
            y[i] = s
        }
        return y
    }

    /// `log det A = 2 Σ log L_ii`.
    public var logDeterminant: Double {
        (0..<lower.rows).reduce(0) { $0 + 2 * log(lower[$1, $1]) }
    }
}
