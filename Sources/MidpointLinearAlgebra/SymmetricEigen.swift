/// The eigendecomposition `A = U diag(λ) Uᵀ` of a symmetric matrix, through LAPACK (`dsyevd`).
///
/// Gaussian targets factor their covariance once; every diffusion time `τ` then reuses the same `U`
/// (`α² Σ + σ² I = U diag(α² λᵢ + σ²) Uᵀ`), so no refactorization happens per step.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Orthonormal eigenvectors as columns: `vectors[i, k]` is entry `i` of eigenvector `k`.
    public let vectors: Matrix

    /// Decomposes `matrix`.
    /// - Throws: ``LinearAlgebraError`` if it is not square, has a non-finite entry, is not symmetric
    ///   (relative asymmetry above 1e-10), or LAPACK fails to converge.
    public init(_ matrix: Matrix) throws(LinearAlgebraError) {
        try matrix.requireSquareAndFinite()
        let n = matrix.rows
        var scale = 0.0
        for v in matrix.storage { scale = max(scale, abs(v)) }
        for i in 0..<n {
            for j in (i + 1)..<n where abs(matrix[i, j] - matrix[j, i]) > 1e-10 * max(scale, 1e-300) {
                throw .notSymmetric(row: i, column: j)
            }
        }
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        let info = a.storage.withUnsafeMutableBufferPointer { ap in
            w.withUnsafeMutableBufferPointer { LAPACK.symmetricEigen(n: n, a: ap.baseAddress!, w: $0.baseAddress!) }
        }
        guard info == 0 else { throw .eigenFailed(info: info) }
        values = w
        vectors = a
    }

    /// `U diag(f(λᵢ)) Uᵀ`: a function of the matrix (for example its square root or inverse).
    public func reconstruct(applying f: (Double) -> Double) -> Matrix {
        let n = values.count
        var scaled = vectors
        for i in 0..<n { for k in 0..<n { scaled[i, k] *= f(values[k]) } }
        var out = Matrix(rows: n, columns: n)
        scaled.storage.withUnsafeBufferPointer { s in
            vectors.storage.withUnsafeBufferPointer { u in
                out.storage.withUnsafeMutableBufferPointer { o in
                    BLAS.gemm(.none, .transpose, m: n, n: n, k: n, alpha: 1, a: s.baseAddress!, lda: n,
                              b: u.baseAddress!, ldb: n, beta: 0, c: o.baseAddress!, ldc: n)
                }
            }
        }
        return out
    }
}
