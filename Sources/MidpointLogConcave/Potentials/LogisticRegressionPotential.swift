import Foundation
import MidpointFormats
import MidpointLinearAlgebra

/// The posterior of Bayesian logistic regression with a Gaussian prior:
///
/// ```
/// f(β) = Σᵢ [log(1 + e^{zᵢ}) - yᵢ zᵢ] + |β|² / (2s²),   zᵢ = xᵢᵀ β
/// ∇f(β) = Xᵀ (σ(z) - y) + β / s²
/// ```
///
/// Rows `xᵢ` are the standardized features (each column centered and divided by its sample
/// standard deviation, `n - 1`) with a leading 1 for the intercept; labels are 0 or 1. For a batch of
/// `C` chains the logits are one GEMM `B Xᵀ` (`C × n`) and the gradients another, `(σ(Z) - Y) X`.
/// `L ≤ ¼ λ_max(XᵀX) + 1/s²` (the logistic curvature is at most ¼) and `m ≥ 1/s²`.
public struct LogisticRegressionPotential: Potential {
    /// The design matrix `n × p`: an intercept column, then the standardized features.
    public let design: Matrix
    /// Labels in {0, 1}.
    public let labels: [Double]
    /// Prior standard deviation `s` of every coefficient.
    public let priorScale: Double
    public let parameterNames: [String]
    public let summary: String
    public let smoothness: Double?
    public var strongConvexity: Double? { 1 / (priorScale * priorScale) }
    public var dimension: Int { design.columns }

    /// The posterior for raw `features` (`n × k`, one row per observation), `labels` in {0, 1} and prior
    /// scale `priorScale`; `names` label the `k` features.
    /// - Throws: ``PotentialError/invalid(field:reason:)`` for mismatched shapes, non-finite values,
    ///   labels other than 0 and 1, a constant feature or a prior scale outside (0, 1e6].
    public init(features: Matrix, labels: [Double], names: [String], priorScale: Double,
                summary: String? = nil) throws(PotentialError) {
        let (n, k) = (features.rows, features.columns)
        guard n >= 2 else { throw .invalid(field: "data", reason: "needs at least 2 observations, got \(n)") }
        guard labels.count == n else { throw .invalid(field: "labels", reason: "must have \(n) entries, got \(labels.count)") }
        guard names.count == k else { throw .invalid(field: "names", reason: "must have \(k) entries, got \(names.count)") }
        guard priorScale.isFinite, priorScale > 0, priorScale <= 1e6 else {
            throw .invalid(field: "prior scale", reason: "must be in (0, 1e6], got \(priorScale)")
        }
        for (i, y) in labels.enumerated() where y != 0 && y != 1 {
            throw .invalid(field: "labels[\(i)]", reason: "must be 0 or 1, got \(y)")
        }
        var design = Matrix(rows: n, columns: k + 1)
        for i in 0..<n { design[i, 0] = 1 }
        for j in 0..<k {
            var mean = 0.0
            for i in 0..<n {
                guard features[i, j].isFinite else {
                    throw .invalid(field: "feature '\(names[j])' row \(i)", reason: "must be finite, got \(features[i, j])")
                }
                mean += features[i, j]
            }
            mean /= Double(n)
            var ss = 0.0
            for i in 0..<n { ss += (features[i, j] - mean) * (features[i, j] - mean) }
            let sd = (ss / Double(n - 1)).squareRoot()
            guard sd > 0 else { throw .invalid(field: "feature '\(names[j])'", reason: "is constant and cannot be standardized") }
            for i in 0..<n { design[i, j + 1] = (features[i, j] - mean) / sd }
        }
        self.design = design
        self.labels = labels
        self.priorScale = priorScale
        parameterNames = ["intercept"] + names
        // λ_max(XᵀX) from the p × p Gram matrix.
        var gram = Matrix(rows: k + 1, columns: k + 1)
        design.withView { x in
            gram.withMutableView { g in
                BLAS.gemm(.transpose, .none, m: k + 1, n: k + 1, k: n, alpha: 1, a: x.base, lda: k + 1,
                          b: x.base, ldb: k + 1, beta: 0, c: g.base, ldc: k + 1)
            }
        }
        for i in 0..<(k + 1) { for j in 0..<i { gram[i, j] = gram[j, i] } }
        let top = (try? SymmetricEigen(gram))?.values.last ?? gram.storage.reduce(0) { $0 + abs($1) }
        smoothness = 0.25 * top + 1 / (priorScale * priorScale)
        self.summary = summary ?? "logistic regression, \(n) observations, \(k) standardized features + intercept, prior N(0, \(priorScale)²)"
    }

    /// The posterior for a CSV table: every column except `label` is a feature; `label` must hold 0 or 1.
    public init(csv table: Table, label: String, priorScale: Double, summary: String? = nil) throws(PotentialError) {
        guard table.columns.contains(label) else {
            throw .invalid(field: "label", reason: "'\(label)' is not a column (columns: \(table.columns.joined(separator: ", ")))")
        }
        let names = table.columns.filter { $0 != label }
        let features: (rows: Int, values: [Double]), y: (rows: Int, values: [Double])
        do {
            features = try table.numericColumns(names)
            y = try table.numericColumns([label])
        } catch {
            throw .invalid(field: "data", reason: error.description)
        }
        try self.init(features: Matrix(rows: features.rows, columns: names.count, storage: features.values),
                      labels: y.values, names: names, priorScale: priorScale, summary: summary)
    }

    public func evaluate(x: MatrixView, gradients: MutableMatrixView, values: UnsafeMutablePointer<Double>?) {
        let (c, n, p) = (x.rows, design.rows, design.columns)
        guard c > 0 else { return }
        let zp = UnsafeMutablePointer<Double>.allocate(capacity: c * n)  // written by the first GEMM (β = 0)
        defer { zp.deallocate() }
        let invVar = 1 / (priorScale * priorScale)
        design.withView { xd in
            // Z = B Xᵀ (C × n).
            BLAS.gemm(.none, .transpose, m: c, n: n, k: p, alpha: 1, a: x.base, lda: p, b: xd.base, ldb: p,
                      beta: 0, c: zp, ldc: n)
            for r in 0..<c {
                var f = 0.0
                for i in 0..<n {
                    let zi = zp[r * n + i]
                    // Stable softplus and sigmoid: no overflow for any finite logit.
                    let e = exp(-abs(zi))
                    if values != nil { f += max(zi, 0) + log1p(e) - labels[i] * zi }
                    let sigma = zi >= 0 ? 1 / (1 + e) : e / (1 + e)
                    zp[r * n + i] = sigma - labels[i]
                }
                if let values {
                    let row = x.row(r)
                    var prior = 0.0
                    for j in 0..<p { prior += row[j] * row[j] }
                    values[r] = f + 0.5 * invVar * prior
                }
            }
            // G = (σ(Z) - Y) X + B / s².
            for r in 0..<c {
                let (g, row) = (gradients.row(r), x.row(r))
                for j in 0..<p { g[j] = invVar * row[j] }
            }
            BLAS.gemm(.none, .none, m: c, n: p, k: n, alpha: 1, a: zp, lda: n, b: xd.base, ldb: p,
                      beta: 1, c: gradients.base, ldc: p)
        }
    }
}
