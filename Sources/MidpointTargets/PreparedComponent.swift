import Foundation
import MidpointLinearAlgebra

/// A mixture component prepared for fast batched evaluation at per-row times.
///
/// For a row at time `τ` (so `α`, `σ²`) with `C = α² Σ + σ² I` it provides
/// `ℓ = log w - ½ log det C - ½ (x - αm)ᵀ C⁻¹ (x - αm)` and adds `r · (-C⁻¹(x - αm))` to an
/// accumulator. A full `Σ = U diag(λ) Uᵀ` is factored once; every `τ` reuses `U`
/// (`C = U diag(α² λ + σ²) Uᵀ`), and a block of rows goes through GEMMs.
///
/// `C⁻¹`'s diagonal (in the eigenbasis for full covariances) and `log det C` depend only on `τ`:
/// they are cached per component and recomputed only when a row's `τ` differs from the previous
/// row's, which makes batches at one time (most samplers) cheaper than batches at many.
struct PreparedComponent: Sendable {
    enum Shape: Sendable {
        case isotropic(Double)
        case diagonal([Double])
        case full(values: [Double], vectors: Matrix, rotatedMean: [Double])
    }

    let logWeight: Double
    let mean: [Double]
    let shape: Shape
    let dimension: Int

    init(_ c: GaussianComponent, normalizedWeight: Double, path: String) throws(TargetError) {
        logWeight = log(normalizedWeight)
        mean = c.mean
        let d = c.mean.count
        dimension = d
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
            eig.vectors.withView { u in
                BLAS.gemv(.transpose, m: d, n: d, alpha: 1, a: u.base, lda: d, x: c.mean, beta: 0, y: &rotated)
            }
            shape = .full(values: eig.values, vectors: eig.vectors, rotatedMean: rotated)
        }
    }

    var isFull: Bool { if case .full = shape { true } else { false } }

    /// Doubles of scratch this component needs for a block of `rows` rows: the `C⁻¹` diagonal and
    /// `α m` caches (`2d`), their key and the log-determinant (3), and for full covariances the rotated
    /// block (`rows × d`).
    func scratchCount(rows: Int) -> Int { 2 * dimension + 3 + (isFull ? rows * dimension : 0) }

    /// Scratch layout: `[C⁻¹ diagonal (d) | α m, in the eigenbasis for full (d) | key α, key σ², log det |
    /// rotated rows (full only)]`.
    struct Scratch {
        let inverse: UnsafeMutablePointer<Double>
        let center: UnsafeMutablePointer<Double>
        let key: UnsafeMutablePointer<Double>
        let rotated: UnsafeMutablePointer<Double>
        let isFull: Bool
        init(_ base: UnsafeMutablePointer<Double>, dimension d: Int, isFull: Bool) {
            inverse = base
            center = base + d
            key = base + 2 * d
            rotated = base + 2 * d + 3
            self.isFull = isFull
            key[0] = .nan  // no row cached yet (NaN never equals a key)
        }
    }

    /// Refreshes the cached `C⁻¹` diagonal and `log det C` for `(a, s2)` if needed.
    @inline(__always)
    func prepare(a: Double, s2: Double, scratch: Scratch) {
        guard scratch.key[0] != a || scratch.key[1] != s2 else { return }
        scratch.key[0] = a
        scratch.key[1] = s2
        let d = dimension
        switch shape {
        case let .full(_, _, rotatedMean): for j in 0..<d { scratch.center[j] = a * rotatedMean[j] }
        default: for j in 0..<d { scratch.center[j] = a * mean[j] }
        }
        switch shape {
        case let .isotropic(v):
            let c = a * a * v + s2
            for j in 0..<d { scratch.inverse[j] = 1 / c }
            scratch.key[2] = Double(d) * log(c)
        case let .diagonal(v):
            scratch.key[2] = VectorKernels.reciprocalsAndLogSum(v, scale: a * a, shift: s2, into: scratch.inverse, count: d)
        case let .full(values, _, _):
            scratch.key[2] = VectorKernels.reciprocalsAndLogSum(values, scale: a * a, shift: s2, into: scratch.inverse, count: d)
        }
    }

    /// Writes `ℓᵢ` for every row of the block to `logTerm`.
    func logTerms(alpha: UnsafePointer<Double>, sigma2: UnsafePointer<Double>, x: MatrixView,
                  into logTerm: UnsafeMutablePointer<Double>, scratch: Scratch) {
        let d = dimension
        if case let .full(_, vectors, _) = shape {
            // Rows into the eigenbasis once per block: y = x U.
            vectors.withView { u in
                BLAS.gemm(.none, .none, m: x.rows, n: d, k: d, alpha: 1, a: x.base, lda: d,
                          b: u.base, ldb: d, beta: 0, c: scratch.rotated, ldc: d)
            }
        }
        for i in 0..<x.rows {
            prepare(a: alpha[i], s2: sigma2[i], scratch: scratch)
            let row = scratch.isFull ? UnsafePointer(scratch.rotated + i * d) : x.row(i)
            let q = VectorKernels.weightedSquaredDistance(row, center: scratch.center, weights: scratch.inverse, count: d)
            logTerm[i] = logWeight - 0.5 * scratch.key[2] - 0.5 * q
        }
    }

    /// Adds `weight[i] · (-C⁻¹(xᵢ - αᵢm))` to row `i` of `accumulator`, skipping rows whose weight is 0.
    /// Must follow ``logTerms(alpha:sigma2:x:into:scratch:)`` on the same block (full covariances reuse
    /// its rotated rows).
    /// With `overwrite` the rows are written instead of added to (a single component needs no zero
    /// fill first).
    func accumulateGradient(alpha: UnsafePointer<Double>, sigma2: UnsafePointer<Double>, x: MatrixView,
                            weight: UnsafePointer<Double>, into accumulator: UnsafeMutablePointer<Double>,
                            scratch: Scratch, overwrite: Bool = false) {
        let d = dimension
        switch shape {
        case .isotropic, .diagonal:
            for i in 0..<x.rows {
                guard weight[i] != 0 else {
                    if overwrite { (accumulator + i * d).update(repeating: 0, count: d) }
                    continue
                }
                prepare(a: alpha[i], s2: sigma2[i], scratch: scratch)
                if overwrite {
                    VectorKernels.storeScaledDifference(accumulator + i * d, coefficient: -weight[i], x: x.row(i),
                                                        center: scratch.center, weights: scratch.inverse, count: d)
                } else {
                    VectorKernels.accumulateScaledDifference(accumulator + i * d, coefficient: -weight[i], x: x.row(i),
                                                             center: scratch.center, weights: scratch.inverse, count: d)
                }
            }
        case let .full(_, vectors, _):
            // In the eigenbasis: ỹ = -w C̃⁻¹ (y - α Uᵀm), overwriting the rotated rows; then acc += ỹ Uᵀ.
            for i in 0..<x.rows {
                prepare(a: alpha[i], s2: sigma2[i], scratch: scratch)
                let yi = scratch.rotated + i * d
                let w = weight[i]
                for j in 0..<d { yi[j] = -w * (yi[j] - scratch.center[j]) * scratch.inverse[j] }
            }
            vectors.withView { u in
                BLAS.gemm(.none, .transpose, m: x.rows, n: d, k: d, alpha: 1, a: scratch.rotated, lda: d,
                          b: u.base, ldb: d, beta: overwrite ? 0 : 1, c: accumulator, ldc: d)
            }
        }
    }
}
