import MidpointLinearAlgebra

/// A potential seen through a linear preconditioner (`docs/algorithms.md` §11): `f̃(y) = f(μ + T y)` with
/// `T` diagonal (`diag(scale)`) or lower triangular (a Cholesky factor), so `∇f̃(y) = Tᵀ ∇f(μ + T y)`.
///
/// Sampling `y ~ e^{-f̃}` and mapping back `x = μ + T y` samples `π`. With `T Tᵀ` the posterior
/// covariance (or its diagonal) the preconditioned target is nearly isotropic, and a sampler's step size
/// is limited by the curvature left over rather than by the ratio of the widest to the narrowest
/// direction. Every sampler runs unchanged on it: this is a mass matrix in HMC terms (dense or diagonal).
///
/// `smoothness` and `strongConvexity` are the warm-up's estimates of the preconditioned Hessian's
/// extreme eigenvalues near the bulk of the posterior (``CurvatureEstimate``), not bounds.
public struct PreconditionedPotential: Potential {
    /// The potential in the original coordinates.
    public let base: any Potential
    /// `μ`: the origin of the preconditioned coordinates.
    public let center: [Double]
    /// The diagonal of `T` (its scales).
    public let scale: [Double]
    /// `T` when it is not diagonal: lower triangular, row-major.
    public let factor: Matrix?
    public let smoothness: Double?
    public let strongConvexity: Double?

    /// `base` seen through `y ↦ center + diag(scale) y`.
    public init(_ base: any Potential, center: [Double], scale: [Double], smoothness: Double?, strongConvexity: Double?) {
        precondition(center.count == base.dimension && scale.count == base.dimension, "one center and scale per coordinate")
        precondition(scale.allSatisfy { $0.isFinite && $0 > 0 }, "scales must be finite and > 0")
        self.base = base
        self.center = center
        self.scale = scale
        factor = nil
        self.smoothness = smoothness
        self.strongConvexity = strongConvexity
    }

    /// `base` seen through `y ↦ center + L y`, `L` lower triangular with a positive diagonal.
    public init(_ base: any Potential, center: [Double], factor l: Matrix, smoothness: Double?, strongConvexity: Double?) {
        let d = base.dimension
        precondition(center.count == d && l.rows == d && l.columns == d, "a center and a d × d factor")
        precondition((0..<d).allSatisfy { l[$0, $0].isFinite && l[$0, $0] > 0 } && l.isFinite, "the factor must be finite with a positive diagonal")
        self.base = base
        self.center = center
        scale = (0..<d).map { l[$0, $0] }
        factor = l
        self.smoothness = smoothness
        self.strongConvexity = strongConvexity
    }

    /// The same preconditioner with new curvature estimates.
    public func with(smoothness: Double?, strongConvexity: Double?) -> PreconditionedPotential {
        if let factor {
            return PreconditionedPotential(base, center: center, factor: factor, smoothness: smoothness, strongConvexity: strongConvexity)
        }
        return PreconditionedPotential(base, center: center, scale: scale, smoothness: smoothness, strongConvexity: strongConvexity)
    }

    public var dimension: Int { base.dimension }
    public var parameterNames: [String] { base.parameterNames }
    public var summary: String { base.summary }

    /// Original coordinates `x = μ + T y` of every row of `y`.
    public func toOriginal(_ y: Matrix) -> Matrix {
        var x = y
        mapToOriginal(&x)
        return x
    }

    /// Replaces every row `y` of `m` by `x = μ + T y`, in place: coordinate `j` reads `y₀ … y_j`, so
    /// the row is rewritten from its last coordinate down (a run's kept draws are never copied).
    public func mapToOriginal(_ m: inout Matrix) {
        let d = m.columns
        for i in 0..<m.rows {
            for j in stride(from: d - 1, through: 0, by: -1) {
                var s = center[j]
                if let factor { for k in 0...j { s += factor[j, k] * m[i, k] } } else { s += scale[j] * m[i, j] }
                m[i, j] = s
            }
        }
    }

    /// Preconditioned coordinates `y = T⁻¹ (x - μ)` of every row of `x` (forward substitution).
    public func toPreconditioned(_ x: Matrix) -> Matrix {
        let d = x.columns
        var y = Matrix(rows: x.rows, columns: d)
        for i in 0..<x.rows {
            for j in 0..<d {
                var r = x[i, j] - center[j]
                if let factor { for k in 0..<j { r -= factor[j, k] * y[i, k] } }
                y[i, j] = r / scale[j]
            }
        }
        return y
    }

    /// `∇ₓf` from `∇_y f̃` for every row: `T⁻ᵀ g` (back substitution).
    public func originalGradients(_ g: Matrix) -> Matrix {
        var out = g
        mapGradientsToOriginal(&out)
        return out
    }

    /// Replaces every row `g` of `m` by `T⁻ᵀ g`, in place: back substitution from the last coordinate
    /// reads only `g_j` and the results above `j`.
    public func mapGradientsToOriginal(_ m: inout Matrix) {
        let d = m.columns
        for i in 0..<m.rows {
            for j in stride(from: d - 1, through: 0, by: -1) {
                var r = m[i, j]
                if let factor { for k in (j + 1)..<d { r -= factor[k, j] * m[i, k] } }
                m[i, j] = r / scale[j]
            }
        }
    }

    public func evaluate(x y: MatrixView, gradients: MutableMatrixView, values: UnsafeMutablePointer<Double>?) {
        let (rows, d) = (y.rows, y.columns)
        // One scratch block per call (a chunk of rows), as the Potential contract asks.
        let x = UnsafeMutablePointer<Double>.allocate(capacity: rows * d)  // every element written below
        defer { x.deallocate() }
        let xv = MatrixView(base: x, rows: rows, columns: d)
        if let factor {
            // X = μ + Y Tᵀ, then G_y = G_x T: two GEMMs per chunk.
            let gx = UnsafeMutablePointer<Double>.allocate(capacity: rows * d)
            gx.initialize(repeating: 0, count: rows * d)
            defer { gx.deallocate() }
            for i in 0..<rows { for j in 0..<d { x[i * d + j] = center[j] } }
            factor.withView { t in
                BLAS.gemm(.none, .transpose, m: rows, n: d, k: d, alpha: 1, a: y.base, lda: d, b: t.base, ldb: d,
                          beta: 1, c: x, ldc: d)
                base.evaluate(x: xv, gradients: MutableMatrixView(base: gx, rows: rows, columns: d), values: values)
                BLAS.gemm(.none, .none, m: rows, n: d, k: d, alpha: 1, a: gx, lda: d, b: t.base, ldb: d,
                          beta: 0, c: gradients.base, ldc: d)
            }
            return
        }
        for i in 0..<rows {
            for j in 0..<d { x[i * d + j] = center[j] + scale[j] * y[i, j] }
        }
        base.evaluate(x: xv, gradients: gradients, values: values)
        for i in 0..<rows {
            for j in 0..<d { gradients[i, j] *= scale[j] }
        }
    }
}
