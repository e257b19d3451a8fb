#if canImport(Accelerate)
import Accelerate
#else
import COpenBLAS
#endif

/// The small bridge to BLAS: OpenBLAS's CBLAS on Linux, Accelerate on Apple platforms.
///
/// Everything is row-major. Only the handful of routines the samplers need is exposed; callers pass
/// pointers they already hold, so a call allocates nothing.
///
/// OpenBLAS runs single-threaded in every process that uses Midpoint, set once before the first call
/// (``singleThreaded``): Midpoint parallelizes over fixed chunks of particles itself, so a product's
/// result never depends on how many threads BLAS would split it over (a potential prepared with
/// two-threaded OpenBLAS once drew different bits from one prepared with one), and changing OpenBLAS's
/// thread count while another thread is inside a call — which concurrent commands or tests would do —
/// corrupts its results.
public enum BLAS {
    /// Sets OpenBLAS to one thread, once per process (a lazily initialized global runs exactly once,
    /// before the first BLAS or LAPACK call reads it).
    @usableFromInline
    static let singleThreaded: Void = {
        #if !canImport(Accelerate)
        openblas_set_num_threads(1)
        #endif
    }()

    /// Whether an operand is used as stored or transposed.
    public enum Transpose: Sendable {
        /// Use the operand as stored.
        case none
        /// Use the operand's transpose.
        case transpose

        @usableFromInline
        var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
    }

    /// `C ← α op(A) op(B) + β C` with `op(A)` of shape `m × k`, `op(B)` of shape `k × n`, all row-major.
    @inlinable
    public static func gemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        _ = singleThreaded
        cblas_dgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `y ← α op(A) x + β y` with `A` of shape `m × n` (row-major, leading dimension `lda`).
    @inlinable
    public static func gemv(
        _ trans: Transpose, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
    ) {
        guard m > 0, n > 0 else { return }
        _ = singleThreaded
        cblas_dgemv(CblasRowMajor, trans.cblas, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// The lower triangle of `C ← α AᵀA + β C` for `A` of shape `k × n` (row-major); `C` is `n × n`.
    ///
    /// Only the lower triangle of `C` is written: callers that need the full matrix mirror it.
    @inlinable
    public static func syrkTransposed(
        n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        guard n > 0 else { return }
        _ = singleThreaded
        cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, Int32(n), Int32(k), alpha, a, Int32(lda),
                    beta, c, Int32(ldc))
    }
}
