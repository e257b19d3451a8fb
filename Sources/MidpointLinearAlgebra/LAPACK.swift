#if canImport(Accelerate)
import Accelerate
#else
import COpenBLAS
#endif

/// The small bridge to LAPACK: LAPACKE (row-major) on Linux, Accelerate's Fortran interface on Apple
/// platforms. Inputs are row-major; outputs are row-major.
enum LAPACK {
    /// Overwrites the lower triangle of the symmetric `n × n` matrix `a` with its Cholesky factor `L`
    /// (`A = L Lᵀ`). Returns LAPACK's `info`: 0 on success, `k > 0` if the leading minor of order `k`
    /// is not positive definite.
    static func choleskyLower(n: Int, a: UnsafeMutablePointer<Double>) -> Int {
        #if canImport(Accelerate)
        // Row-major lower = column-major upper of the same (symmetric) buffer.
        var uplo = CChar(UInt8(ascii: "U")), nn = __LAPACK_int(n), lda = __LAPACK_int(n), info = __LAPACK_int(0)
        dpotrf_(&uplo, &nn, a, &lda, &info)
        return Int(info)
        #else
        _ = BLAS.singleThreaded
        return Int(LAPACKE_dpotrf(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), a, Int32(n)))
        #endif
    }

    /// Eigen-decomposes the symmetric `n × n` matrix `a` (upper triangle read): on return `a` holds the
    /// eigenvectors as columns (row-major) and `w` the eigenvalues in ascending order. Returns `info`.
    static func symmetricEigen(n: Int, a: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>) -> Int {
        #if canImport(Accelerate)
        // Column-major call: the eigenvectors come back as rows of the row-major buffer; transpose.
        var jobz = CChar(UInt8(ascii: "V")), uplo = CChar(UInt8(ascii: "L"))
        var nn = __LAPACK_int(n), lda = __LAPACK_int(n), info = __LAPACK_int(0)
        var lwork = __LAPACK_int(-1), liwork = __LAPACK_int(-1)
        var workQuery = 0.0, iworkQuery = __LAPACK_int(0)
        dsyevd_(&jobz, &uplo, &nn, a, &lda, w, &workQuery, &lwork, &iworkQuery, &liwork, &info)
        guard info == 0 else { return Int(info) }
        lwork = __LAPACK_int(workQuery); liwork = iworkQuery
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [__LAPACK_int](repeating: 0, count: Int(liwork))
        dsyevd_(&jobz, &uplo, &nn, a, &lda, w, &work, &lwork, &iwork, &liwork, &info)
        for i in 0..<n { for j in (i + 1)..<n { swap(&a[i * n + j], &a[j * n + i]) } }
        return Int(info)
        #else
        _ = BLAS.singleThreaded
        return Int(LAPACKE_dsyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")),
                                  Int32(n), a, Int32(n), w))
        #endif
    }
}
