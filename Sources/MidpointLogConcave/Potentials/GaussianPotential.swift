import Foundation
import MidpointLinearAlgebra
import MidpointRandom

/// The Gaussian `N(μ, Σ)`: `f(x) = ½ (x - μ)ᵀ Σ⁻¹ (x - μ)`, `∇f(x) = Σ⁻¹ (x - μ)`.
///
/// The precision `Σ⁻¹` comes from the eigendecomposition of `Σ` (LAPACK), which also gives the exact
/// constants `L = 1/λ_min(Σ)` and `m = 1/λ_max(Σ)`. A batch of gradients is one GEMM,
/// `(X - 1μᵀ) Σ⁻¹`.
public struct GaussianPotential: ExactMomentsPotential {
    public let dimension: Int
    public let mean: [Double]
    public let covariance: Matrix
    /// `Σ⁻¹`.
    public let precision: Matrix
    /// Eigenvalues of `Σ`, ascending.
    public let variances: [Double]
    public let summary: String
    /// `1/Σᵢᵢ` when `Σ` is diagonal: gradients are then elementwise instead of a GEMM.
    let diagonalPrecision: [Double]?
    public var parameterNames: [String] { (0..<dimension).map { "x[\($0)]" } }
    public var smoothness: Double? { 1 / variances.first! }
    public var strongConvexity: Double? { 1 / variances.last! }

    /// `N(mean, covariance)`.
    /// - Throws: ``PotentialError/invalid(field:reason:)`` for a shape mismatch, a non-finite entry, an
    ///   asymmetric matrix or an eigenvalue outside `[1e-12, 1e12]`.
    public init(mean: [Double], covariance: Matrix, summary: String? = nil) throws(PotentialError) {
        let d = mean.count
        guard d >= 1 else { throw .invalid(field: "mean", reason: "must have at least one entry") }
        guard covariance.rows == d, covariance.columns == d else {
            throw .invalid(field: "covariance", reason: "must be \(d)×\(d), got \(covariance.rows)×\(covariance.columns)")
        }
        for (i, m) in mean.enumerated() where !m.isFinite {
            throw .invalid(field: "mean[\(i)]", reason: "must be finite, got \(m)")
        }
        let eigen: SymmetricEigen
        do { eigen = try SymmetricEigen(covariance) } catch {
            throw .invalid(field: "covariance", reason: "is not a finite symmetric matrix: \(error)")
        }
        guard let lo = eigen.values.first, let hi = eigen.values.last, lo >= 1e-12, hi <= 1e12 else {
            throw .invalid(field: "covariance", reason: "must have eigenvalues in [1e-12, 1e12], got [\(eigen.values.first!), \(eigen.values.last!)]")
        }
        dimension = d
        self.mean = mean
        self.covariance = covariance
        variances = eigen.values
        precision = eigen.reconstruct { 1 / $0 }
        var isDiagonal = true
        for i in 0..<d { for j in 0..<d where i != j && covariance[i, j] != 0 { isDiagonal = false } }
        diagonalPrecision = isDiagonal ? (0..<d).map { 1 / covariance[$0, $0] } : nil
        self.summary = summary ?? "\(d)-D Gaussian, condition number \(String(format: "%.3g", hi / lo))"
    }

    /// `N(0, U diag(λ) Uᵀ)` with `λ` log-spaced from `1/condition` to 1 and `U` a random rotation
    /// (QR of a Gaussian matrix drawn from `seed`): scale 1, the given condition number.
    public static func illConditioned(dimension d: Int, condition: Double, seed: UInt64 = 7) throws(PotentialError) -> GaussianPotential {
        guard d >= 1 else { throw .invalid(field: "dimension", reason: "must be ≥ 1, got \(d)") }
        guard condition.isFinite, condition >= 1, condition <= 1e8 else {
            throw .invalid(field: "condition", reason: "must be in [1, 1e8], got \(condition)")
        }
        let lambdas = (0..<d).map { pow(condition, -1 + Double($0) / Double(max(d - 1, 1))) }
        // A random orthogonal matrix: Gram–Schmidt on Gaussian columns (d ≤ a few hundred here).
        var g = Matrix(rows: d, columns: d)
        NoiseSource(seed: seed).fillNormal(&g, step: 0, slot: 0)
        var q = Matrix(rows: d, columns: d)
        for k in 0..<d {
            var v = (0..<d).map { g[$0, k] }
            for _ in 0..<2 {
                for j in 0..<k {
                    var dot = 0.0
                    for i in 0..<d { dot += q[i, j] * v[i] }
                    for i in 0..<d { v[i] -= dot * q[i, j] }
                }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for i in 0..<d { q[i, k] = v[i] / norm }
        }
        var covariance = Matrix(rows: d, columns: d)
        for i in 0..<d {
            for j in 0..<d {
                var s = 0.0
                for k in 0..<d { s += q[i, k] * lambdas[k] * q[j, k] }
                covariance[i, j] = s
            }
        }
        for i in 0..<d { for j in 0..<i { let s = 0.5 * (covariance[i, j] + covariance[j, i]); covariance[i, j] = s; covariance[j, i] = s } }
        return try GaussianPotential(mean: [Double](repeating: 0, count: d), covariance: covariance,
                                     summary: "\(d)-D Gaussian, eigenvalues log-spaced in [\(String(format: "%.3g", 1 / condition)), 1] (condition \(String(format: "%.3g", condition))), random rotation")
    }

    public func evaluate(x: MatrixView, gradients: MutableMatrixView, values: UnsafeMutablePointer<Double>?) {
        let (n, d) = (x.rows, dimension)
        guard n > 0 else { return }
        if let p = diagonalPrecision {
            for i in 0..<n {
                let (row, g) = (x.row(i), gradients.row(i))
                var s = 0.0
                for j in 0..<d {
                    let c = row[j] - mean[j]
                    g[j] = p[j] * c
                    s += c * g[j]
                }
                values?[i] = 0.5 * s
            }
            return
        }
        // Centered rows into the gradient buffer, then one GEMM through a scratch copy.
        let centered = UnsafeMutablePointer<Double>.allocate(capacity: n * d)  // every element written below
        defer { centered.deallocate() }
        for i in 0..<n {
            let row = x.row(i)
            for j in 0..<d { centered[i * d + j] = row[j] - mean[j] }
        }
        precision.withView { p in
            BLAS.gemm(.none, .none, m: n, n: d, k: d, alpha: 1, a: centered, lda: d, b: p.base, ldb: d,
                      beta: 0, c: gradients.base, ldc: d)
        }
        if let values {
            for i in 0..<n {
                let g = gradients.row(i)
                var s = 0.0
                for j in 0..<d { s += centered[i * d + j] * g[j] }
                values[i] = 0.5 * s
            }
        }
    }
}
