/// The lower Cholesky factor of a small symmetric positive-semidefinite matrix, for drawing
/// correlated Gaussians whose covariance may be singular (a randomized midpoint at `a → 0` has a
/// vanishing position noise).
///
/// LAPACK's `dpotrf` stops at the first non-positive pivot; here a pivot below `1e-14` of its own
/// diagonal entry (what is left after rounding removes a dependent direction) is treated as zero and
/// its column is zeroed, so `L Lᵀ` reproduces the matrix to rounding and no NaN can appear. The
/// threshold is per entry because the diagonal's scales differ by many orders of magnitude (a
/// position noise `∝ h³` beside a velocity noise `∝ h`). Meant for the 3×3 to 10×10 matrices
/// drawn per chain and step, where a LAPACK call would cost more than the factorization.
public enum SemidefiniteCholesky {
    /// Factors the row-major `n × n` matrix `a` in place into its lower factor (upper part zeroed).
    public static func factor(_ a: UnsafeMutablePointer<Double>, n: Int) {
        for j in 0..<n {
            var pivot = a[j * n + j]
            let floor = 1e-14 * pivot
            for k in 0..<j { pivot -= a[j * n + k] * a[j * n + k] }
            if pivot <= floor {
                for i in j..<n { a[i * n + j] = 0 }
            } else {
                let root = pivot.squareRoot()
                a[j * n + j] = root
                for i in (j + 1)..<n {
                    var s = a[i * n + j]
                    for k in 0..<j { s -= a[i * n + k] * a[j * n + k] }
                    a[i * n + j] = s / root
                }
            }
            for k in (j + 1)..<n { a[j * n + k] = 0 }
        }
    }

    /// Factors the row-major `n × n` matrix in `a` (at least `n²` elements) in place, as
    /// ``factor(_:n:)`` does through a pointer.
    public static func factor(_ a: UnsafeMutableBufferPointer<Double>, n: Int) {
        precondition(a.count >= n * n, "a \(n)×\(n) matrix needs \(n * n) elements, got \(a.count)")
        guard let base = a.baseAddress else { return }  // an empty buffer: n = 0, nothing to factor
        factor(base, n: n)
    }
}
