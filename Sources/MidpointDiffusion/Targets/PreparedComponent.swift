import Foundation
import MidpointLinearAlgebra

/// A mixture component prepared for fast batched evaluation at per-row times.
///
/// For rows with times `τᵢ` it computes `ℓᵢ = log w - ½ log det Cᵢ - ½ (x - αᵢm)ᵀ Cᵢ⁻¹ (x - αᵢm)` and
/// `gᵢ = -Cᵢ⁻¹ (x - αᵢm)` with `Cᵢ = αᵢ² Σ + σᵢ² I`. A full `Σ = U diag(λ) Uᵀ` is factored once; every
/// `τ` reuses `U` (`Cᵢ = U diag(αᵢ² λ + σᵢ²) Uᵀ`), and a block of rows goes through two GEMMs.
struct PreparedComponent: Sendable {
    enum Shape: Sendable {
        case isotropic(Double)
        case diagonal([Double])
        case full(values: [Double], vectors: Matrix, rotatedMean: [Double])
    }

    let logWeight: Double
    let mean: [Double]
    let shape: Shape

    init(_ c: GaussianComponent, normalizedWeight: Double, path: String) throws(TargetError) {
        logWeight = log(normalizedWeight)
        mean = c.mean
        let d = c.mean.count
        switch c.covariance {
        case let .isotropic(v): shape = .isotropic(v)
        case let .diagonal(v): shape = .diagonal(v)
        case let .full(m):
            let eig: SymmetricEigen
            do { eig = try SymmetricEigen(m) } catch {
                throw .linearAlgebra(path: path + ".covariance.full", reason: error.description)
            }
            guard let smallest = eig.values.first, smallest >= GaussianMixtureTarget.varianceRange.lowerBound else {
                throw .invalidField(path: path + ".covariance.full",
                                    reason: "must be positive definite with eigenvalues ≥ 1e-50 (smallest is \(eig.values.first ?? .nan))")
            }
            guard eig.values.last! <= GaussianMixtureTarget.varianceRange.upperBound else {
                throw .invalidField(path: path + ".covariance.full", reason: "eigenvalues must be ≤ 1e50")
            }
            var rotated = [Double](repeating: 0, count: d)
            eig.vectors.storage.withUnsafeBufferPointer { u in
                c.mean.withUnsafeBufferPointer { m in
                    rotated.withUnsafeMutableBufferPointer { r in
                        BLAS.gemv(.transpose, m: d, n: d, alpha: 1, a: u.baseAddress!, lda: d,
                                  x: m.baseAddress!, beta: 0, y: r.baseAddress!)
                    }
                }
            }
            shape = .full(values: eig.values, vectors: eig.vectors, rotatedMean: rotated)
        }
    }

    /// Writes `ℓᵢ` to `logTerm[i]` and `gᵢ` to row `i` of `gradient` for the `x.rows` rows;
    /// `scratch` holds at least `2 · x.rows · d` doubles (used by full covariances).
    func evaluate(alpha: UnsafePointer<Double>, sigma2: UnsafePointer<Double>, x: MatrixView,
                  logTerm: UnsafeMutablePointer<Double>, gradient: UnsafeMutablePointer<Double>,
                  scratch: UnsafeMutablePointer<Double>) {
        let d = x.columns
        let rows = x.rows
        mean.withUnsafeBufferPointer { mb in
            let m = mb.baseAddress!
            switch shape {
            case let .isotropic(v):
                for i in 0..<rows {
                    let a = alpha[i]
                    let c = a * a * v + sigma2[i]
                    let inv = 1 / c
                    let xi = x.row(i)
                    let gi = gradient + i * d
                    var q = 0.0
                    for j in 0..<d {
                        let diff = xi[j] - a * m[j]
                        q += diff * diff
                        gi[j] = -diff * inv
                    }
                    logTerm[i] = logWeight - 0.5 * Double(d) * log(c) - 0.5 * q * inv
                }
            case let .diagonal(vb):
                vb.withUnsafeBufferPointer { vp in
                    let v = vp.baseAddress!
                    for i in 0..<rows {
                        let a = alpha[i]
                        let a2 = a * a
                        let s2 = sigma2[i]
                        let xi = x.row(i)
                        let gi = gradient + i * d
                        var q = 0.0
                        var det = LogDeterminantAccumulator()
                        for j in 0..<d {
                            let c = a2 * v[j] + s2
                            let diff = xi[j] - a * m[j]
                            let g = diff / c
                            q += diff * g
                            gi[j] = -g
                            det.add(c)
                        }
                        logTerm[i] = logWeight - 0.5 * det.value - 0.5 * q
                    }
                }
            case let .full(values, vectors, rotatedMean):
                let y = scratch
                // y = x U (rows in the eigenbasis); then subtract α Uᵀm row by row.
                vectors.storage.withUnsafeBufferPointer { u in
                    BLAS.gemm(.none, .none, m: rows, n: d, k: d, alpha: 1, a: x.base, lda: d,
                              b: u.baseAddress!, ldb: d, beta: 0, c: y, ldc: d)
                }
                values.withUnsafeBufferPointer { lb in
                    rotatedMean.withUnsafeBufferPointer { rb in
                        for i in 0..<rows {
                            let a = alpha[i]
                            let a2 = a * a
                            let s2 = sigma2[i]
                            let yi = y + i * d
                            var q = 0.0
                            var det = LogDeterminantAccumulator()
                            for j in 0..<d {
                                let c = a2 * lb[j] + s2
                                let diff = yi[j] - a * rb[j]
                                let g = diff / c
                                q += diff * g
                                yi[j] = -g
                                det.add(c)
                            }
                            logTerm[i] = logWeight - 0.5 * det.value - 0.5 * q
                        }
                    }
                }
                vectors.storage.withUnsafeBufferPointer { u in
                    BLAS.gemm(.none, .transpose, m: rows, n: d, k: d, alpha: 1, a: y, lda: d,
                              b: u.baseAddress!, ldb: d, beta: 0, c: gradient, ldc: d)
                }
            }
        }
    }
}
