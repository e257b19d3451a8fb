import MidpointLinearAlgebra

/// How far an MCMC run's posterior means and sds are from the target's, estimated from the draws and the
/// gradients at them with Stein's identity (`docs/algorithms.md` §12) — the discretization-bias check
/// that R-hat and ESS cannot give for an unadjusted sampler.
///
/// For `π ∝ e^{-f}`, `E_π[∇f] = 0` and `E_π[∇f (x - c)ᵀ] = I`. Over the run's draws, with `x̄`, `Σ̂` their
/// mean and covariance and `ḡ`, `S = mean(∇f (x - x̄)ᵀ)` the gradient moments, a Gaussian target
/// (`∇f = H(x - μ)`) gives `S = H Σ̂` and `ḡ = H(x̄ - μ)` for *any* set of draws, so
///
/// ```
/// Ĥ = sym(S Σ̂⁻¹),   Σ̃ = Ĥ⁻¹,   mean error = Σ̃ ḡ,   sd error = √Σ̂ᵢᵢ / √Σ̃ᵢᵢ - 1
/// ```
///
/// are the errors of the run's means and sds exactly, whatever caused them (step-size bias, too short a
/// warm-up, Monte Carlo noise). On a non-Gaussian posterior they are first-order accurate in its
/// departure from Gaussianity (Bernstein–von Mises makes that small for regression posteriors). The mean
/// error includes the run's Monte Carlo error (of the size of the MCSE); compare with it before calling
/// it bias. Above `denseLimit` parameters only the diagonal of `S` is used (`Ĥᵢᵢ = Sᵢᵢ/Σ̂ᵢᵢ`, exact
/// for a diagonal Hessian).
public struct SteinCheck: Sendable {
    /// Error of each posterior mean, in units of the estimated posterior sd.
    public let meanError: [Double]
    /// Relative error of each posterior sd (`0.1` = 10% too wide).
    public let sdError: [Double]
    /// Whether the full matrices were used (otherwise their diagonals).
    public let dense: Bool

    /// Dimensions up to this use the full `d × d` identity.
    public static let denseLimit = 1000

    /// The bytes the check holds beside the draws and gradients it is given: a centered copy of the
    /// `count × d` draws and, up to ``denseLimit``, three `d × d` matrices.
    public static func estimatedBytes(count: Int, dimension d: Int) -> Double {
        let dims = Double(d)
        return 8 * Double(count) * dims + (d <= denseLimit ? 3 * 8 * dims * dims : 4 * 8 * dims)
    }

    /// The check for `count` draws of dimension `d` (row-major, `count × d`) and the gradients `∇f` at
    /// them (same layout). Nil when there are fewer than `2d + 2` draws (the covariance is then too noisy)
    /// or the estimated Hessian is not positive definite near the draws.
    public init?(draws: [Double], gradients: [Double], dimension d: Int) {
        let n = draws.count / max(d, 1)
        precondition(draws.count == n * d && gradients.count == draws.count, "draws and gradients must both be count × d")
        guard d > 0, n >= 2 * d + 2 else { return nil }
        var mean = [Double](repeating: 0, count: d), gradientMean = mean
        for k in 0..<n {
            for j in 0..<d {
                mean[j] += draws[k * d + j]
                gradientMean[j] += gradients[k * d + j]
            }
        }
        for j in 0..<d { mean[j] /= Double(n); gradientMean[j] /= Double(n) }
        var centered = Matrix(rows: n, columns: d)
        for k in 0..<n { for j in 0..<d { centered[k, j] = draws[k * d + j] - mean[j] } }
        let g = Matrix(rows: n, columns: d, storage: gradients)
        let estimate: (covariance: [Double], sd: [Double], meanError: [Double])?
        if d <= Self.denseLimit {
            estimate = Self.dense(centered: centered, gradients: g, gradientMean: gradientMean)
        } else {
            estimate = Self.diagonal(centered: centered, gradients: g, gradientMean: gradientMean)
        }
        guard let estimate else { return nil }
        meanError = (0..<d).map { estimate.meanError[$0] / estimate.sd[$0] }
        sdError = (0..<d).map { estimate.covariance[$0].squareRoot() / estimate.sd[$0] - 1 }
        dense = d <= Self.denseLimit
    }

    /// Largest `|mean error|` (sd units) and largest `|sd error|`.
    public var worst: (mean: Double, sd: Double) {
        (meanError.map(abs).max() ?? 0, sdError.map(abs).max() ?? 0)
    }

    /// Full version: returns the sample variances, the estimated sds and the mean errors.
    static func dense(centered x: Matrix, gradients g: Matrix, gradientMean: [Double]) -> (covariance: [Double], sd: [Double], meanError: [Double])? {
        let (n, d) = (x.rows, x.columns)
        var sigma = Matrix(rows: d, columns: d), s = Matrix(rows: d, columns: d)
        x.storage.withUnsafeBufferPointer { xp in
            g.storage.withUnsafeBufferPointer { gp in
                sigma.storage.withUnsafeMutableBufferPointer { sp in
                    BLAS.gemm(.transpose, .none, m: d, n: d, k: n, alpha: 1 / Double(n), a: xp.baseAddress!, lda: d,
                              b: xp.baseAddress!, ldb: d, beta: 0, c: sp.baseAddress!, ldc: d)
                }
                s.storage.withUnsafeMutableBufferPointer { sp in
                    BLAS.gemm(.transpose, .none, m: d, n: d, k: n, alpha: 1 / Double(n), a: gp.baseAddress!, lda: d,
                              b: xp.baseAddress!, ldb: d, beta: 0, c: sp.baseAddress!, ldc: d)
                }
            }
        }
        for i in 0..<d { for j in 0..<i { let v = 0.5 * (sigma[i, j] + sigma[j, i]); sigma[i, j] = v; sigma[j, i] = v } }
        guard let sigmaEigen = try? SymmetricEigen(sigma), let low = sigmaEigen.values.first, low > 0 else { return nil }
        let sigmaInverse = sigmaEigen.reconstruct { 1 / $0 }
        var a = s.multiplied(by: sigmaInverse)
        for i in 0..<d { for j in 0..<i { let v = 0.5 * (a[i, j] + a[j, i]); a[i, j] = v; a[j, i] = v } }
        guard let hEigen = try? SymmetricEigen(a), let hLow = hEigen.values.first, hLow > 0 else { return nil }
        let covariance = hEigen.reconstruct { 1 / $0 }
        let meanError = (0..<d).map { i in (0..<d).reduce(0.0) { $0 + covariance[i, $1] * gradientMean[$1] } }
        return ((0..<d).map { sigma[$0, $0] }, (0..<d).map { covariance[$0, $0].squareRoot() }, meanError)
    }

    /// Diagonal version for large `d`.
    static func diagonal(centered x: Matrix, gradients g: Matrix, gradientMean: [Double]) -> (covariance: [Double], sd: [Double], meanError: [Double])? {
        let (n, d) = (x.rows, x.columns)
        var variance = [Double](repeating: 0, count: d), cross = variance
        for k in 0..<n {
            for j in 0..<d {
                variance[j] += x[k, j] * x[k, j]
                cross[j] += g[k, j] * x[k, j]
            }
        }
        var sd = variance, meanError = variance
        for j in 0..<d {
            variance[j] /= Double(n)
            let h = cross[j] / Double(n) / variance[j]
            guard h > 0, h.isFinite else { return nil }
            sd[j] = (1 / h).squareRoot()
            meanError[j] = gradientMean[j] / h
        }
        return (variance, sd, meanError)
    }
}
