import Foundation
import MidpointLinearAlgebra

/// The posterior of a generalized linear regression — gaussian, bernoulli, binomial or poisson — with an
/// optional intercept, transformed predictors, per-block priors, weights and offsets
/// (`docs/log-concave.md`, "Regression models"; a JSON model file: ``PotentialSpec``).
///
/// Sampled coordinates `θ = (α, β₁…β_p, u)` (`α` only with an intercept, `u = log σ` only for the gaussian
/// family). With the transformed predictors `Z` (``PredictorTransform``), weights `wᵢ`, offsets `oᵢ` and
/// linear predictor `ηᵢ = oᵢ + α + zᵢᵀβ`, the potential is
/// ```
/// f(θ) = Σᵢ wᵢ ℓ(ηᵢ; yᵢ) + p_α(α) + Σⱼ p_β(βⱼ) + [p_σ(e^u) − u + u Σᵢ wᵢ]
/// ∇_{(α, β)} f = Dᵀ (w ∘ ℓ'(η)) + prior slopes,   D = [1 Z]
/// ∂f/∂u = Σᵢ wᵢ (1 − (yᵢ − ηᵢ)²/σ²) + p_σ'(σ) σ − 1
/// ```
/// where `ℓ` is the family's negative log-likelihood (``RegressionFamily``), `p` the priors'
/// (``RegressionPrior``) and `−u` the log-Jacobian of `σ = e^u`. For a batch of `C` chains the linear
/// predictors are one GEMM `Θ Dᵀ` (`C × n`) and the gradients another, `R D`.
public struct RegressionModel: ReportedScalePotential {
    /// The response distribution and link.
    public let family: RegressionFamily
    /// The predictor columns' names, in order.
    public let predictorNames: [String]
    /// Whether the model has an intercept.
    public let hasIntercept: Bool
    /// How the predictors were transformed.
    public let transform: PredictorTransform
    /// Per predictor, what was subtracted (0 under `none`) and what it was divided by (1 unless `standardize`).
    public let centers: [Double], scales: [Double]
    /// The priors.
    public let priors: RegressionPriors
    /// `D = [1 Z]` (`n × q`; the column of ones only with an intercept).
    let design: Matrix
    let response: [Double], trials: [Double], weights: [Double], offsets: [Double]
    let totalWeight: Double

    public let parameterNames: [String]
    public let reportedNames: [String]
    public let summary: String
    public let smoothness: Double?
    public let strongConvexity: Double?
    public var dimension: Int { design.columns + (family.hasScale ? 1 : 0) }
    /// The number of observations.
    public var observations: Int { design.rows }

    /// A model for raw `predictors` (`n × p`, one row per observation, columns named by `names`).
    /// - Parameters:
    ///   - trials: binomial trials per observation (required for `binomial`, refused otherwise).
    ///   - weights: per-observation weights ≥ 0 multiplying the log-likelihood terms (default 1).
    ///   - offsets: per-observation offsets added to the linear predictor (default 0).
    ///   - priors: default ``RegressionPriors/defaults(family:response:)``.
    /// - Throws: ``PotentialError/invalid(field:reason:)`` naming the bad value: shapes, non-finite data,
    ///   responses outside the family's support, a constant predictor, a transform without an intercept,
    ///   a positive-only prior on a coefficient.
    public init(family: RegressionFamily, predictors: Matrix, names: [String], response: [Double],
                trials: [Double]? = nil, weights: [Double]? = nil, offsets: [Double]? = nil,
                intercept: Bool = true, transform: PredictorTransform = .center, priors: RegressionPriors? = nil,
                responseName: String = "response", summary: String? = nil) throws(PotentialError) {
        try self.init(family: family, predictors: predictors, names: names, response: response, trials: trials, weights: weights,
                      offsets: offsets, intercept: intercept, transform: transform, priors: priors, responseName: responseName,
                      summary: summary, rowNumbers: nil)
    }

    /// The model for the rows of weight > 0 (they alone count, in the likelihood and in the identifiability
    /// checks); `rowNumbers` are the data rows (0-based) the given rows came from, for messages.
    init(family: RegressionFamily, predictors: Matrix, names: [String], response: [Double],
         trials: [Double]?, weights: [Double]?, offsets: [Double]?, intercept: Bool, transform: PredictorTransform,
         priors: RegressionPriors?, responseName: String, summary: String?, rowNumbers: [Int]?) throws(PotentialError) {
        let (n, p) = (predictors.rows, predictors.columns)
        let row = { (i: Int) in (rowNumbers?[i] ?? i) + 1 }
        guard n >= 1 else { throw .invalid(field: "data", reason: "has no observations") }
        guard names.count == p else { throw .invalid(field: "predictors", reason: "must name \(p) columns, got \(names.count)") }
        guard response.count == n else { throw .invalid(field: "response", reason: "must have \(n) values, got \(response.count)") }
        guard p + (intercept ? 1 : 0) >= 1 else { throw .invalid(field: "predictors", reason: "is empty and there is no intercept: the model has no parameters") }
        if transform != .none, !intercept {
            throw .invalid(field: "predictor_transform", reason: "is \"\(transform.rawValue)\", which needs an intercept (it moves the predictors' origin); use \"none\" or \"intercept\": true")
        }
        for (label, column) in [("trials", trials), ("weights", weights), ("offset", offsets)] {
            if let column, column.count != n { throw .invalid(field: label, reason: "must have \(n) values, got \(column.count)") }
        }
        if family == .binomial, trials == nil { throw .invalid(field: "trials", reason: "is required for family binomial (the trials column)") }
        if family != .binomial, trials != nil { throw .invalid(field: "trials", reason: "is only for family binomial, not \(family.rawValue)") }
        let trialValues = trials ?? [Double](repeating: 1, count: n)
        for (i, t) in trialValues.enumerated() where !(t >= 1 && t == t.rounded() && t.isFinite) {
            throw .invalid(field: "data: trials row \(row(i))", reason: "must be a positive integer, got \(t)")
        }
        for (i, y) in response.enumerated() {
            guard y.isFinite else { throw .invalid(field: "data: column '\(responseName)' row \(row(i))", reason: "must be finite, got \(y)") }
            try family.checkResponse(y, trials: trialValues[i], row: row(i) - 1, column: responseName)
        }
        let weightValues = weights ?? [Double](repeating: 1, count: n)
        for (i, w) in weightValues.enumerated() where !(w >= 0 && w.isFinite) {
            throw .invalid(field: "data: weights row \(row(i))", reason: "must be finite and ≥ 0, got \(w)")
        }
        let offsetValues = offsets ?? [Double](repeating: 0, count: n)
        for (i, o) in offsetValues.enumerated() where !o.isFinite {
            throw .invalid(field: "data: offset row \(row(i))", reason: "must be finite, got \(o)")
        }
        for j in 0..<p {
            for i in 0..<n where !predictors[i, j].isFinite {
                throw .invalid(field: "data: column '\(names[j])' row \(row(i))", reason: "must be finite, got \(predictors[i, j])")
            }
        }
        // Rows of weight 0 count for nothing: without them, the checks below see only the rows that do.
        if rowNumbers == nil, weightValues.contains(0) {
            let kept = (0..<n).filter { weightValues[$0] > 0 }
            guard !kept.isEmpty else { throw .invalid(field: "data: weights", reason: "are all 0: no observation counts") }
            var x = Matrix(rows: kept.count, columns: p)
            for (r, i) in kept.enumerated() { for j in 0..<p { x[r, j] = predictors[i, j] } }
            self = try RegressionModel(family: family, predictors: x, names: names, response: kept.map { response[$0] },
                          trials: trials.map { t in kept.map { t[$0] } }, weights: kept.map { weightValues[$0] },
                          offsets: offsets.map { o in kept.map { o[$0] } }, intercept: intercept, transform: transform,
                          priors: priors ?? RegressionPriors.defaults(family: family, response: response),
                          responseName: responseName, summary: summary, rowNumbers: kept)
            return
        }
        let priors = priors ?? RegressionPriors.defaults(family: family, response: response)
        for (label, prior) in [("priors.coefficients", priors.coefficients), ("priors.intercept", priors.intercept)] where prior.isPositiveOnly {
            throw .invalid(field: label, reason: "is \(prior), a prior for a positive parameter (sigma)")
        }
        let q = p + (intercept ? 1 : 0)
        var design = Matrix(rows: n, columns: q)
        var centers = [Double](repeating: 0, count: p), scales = [Double](repeating: 1, count: p)
        for j in 0..<p {
            var mean = 0.0
            for i in 0..<n { mean += predictors[i, j] }
            mean /= Double(n)
            var ss = 0.0
            for i in 0..<n { ss += (predictors[i, j] - mean) * (predictors[i, j] - mean) }
            guard ss.isFinite else {
                throw .invalid(field: "predictors: '\(names[j])'", reason: "has values too large to use (their squares overflow a Double); rescale the column")
            }
            guard ss > 0 || (!intercept && transform == .none) else {
                throw .invalid(field: "predictors: '\(names[j])'", reason: "is constant (\(predictors[0, j])): its coefficient is not identified\(intercept ? " beside the intercept" : ""); leave it out")
            }
            if transform != .none { centers[j] = mean }
            if transform == .standardize { scales[j] = (ss / Double(max(n - 1, 1))).squareRoot() }
            let column = j + (intercept ? 1 : 0)
            for i in 0..<n { design[i, column] = (predictors[i, j] - centers[j]) / scales[j] }
        }
        if intercept { for i in 0..<n { design[i, 0] = 1 } }
        // Models whose posterior is improper whatever the sampler: refuse them before any work.
        if family == .gaussian, n <= q {
            throw .invalid(field: "data", reason: "has \(n) observations for \(p) coefficients\(intercept ? " and the intercept" : ""): a gaussian model needs more observations than that (the fit is exact and σ's posterior is improper at 0)")
        }
        // DᵀWD with W the rows' weight × trials (all > 0 here): the flat-prior check reads its rank, the logit
        // families' smoothness bound its largest eigenvalue. One GEMM.
        let gramAll = Self.weightedGram(design, rowWeights: (0..<n).map { weightValues[$0] * trialValues[$0] })
        // Along a direction v with Dv = 0 only the priors change; if v moves flat-prior parameters alone, the
        // posterior is constant along it and improper. So the columns of D under flat priors must be independent.
        let flatColumns = (intercept && priors.intercept == .flat ? [0] : []) + (priors.coefficients == .flat ? Array((intercept ? 1 : 0)..<q) : [])
        if !flatColumns.isEmpty {
            let k = flatColumns.count
            var gram = Matrix(rows: k, columns: k)
            for (a, ca) in flatColumns.enumerated() { for (b, cb) in flatColumns.enumerated() { gram[a, b] = gramAll[ca, cb] } }
            // On the correlation scale (unit diagonal), so that a column's units do not decide.
            let norms = (0..<k).map { gram[$0, $0].squareRoot() }
            for a in 0..<k { for b in 0..<k { gram[a, b] /= norms[a] * norms[b] } }
            let values = (try? SymmetricEigen(gram))?.values ?? [0]
            if let top = values.last, let bottom = values.first, !(bottom > 1e-12 * top) {
                let blocks = (flatColumns.first == 0 && intercept ? ["priors.intercept"] : []) + (priors.coefficients == .flat && p > 0 ? ["priors.coefficients"] : [])
                throw .invalid(field: blocks.joined(separator: " and "), reason: "is flat while the columns it covers are collinear (\(n) observations, \(k) columns; their Gram matrix is singular to 1e-12): the posterior is improper; give a proper prior (e.g. \"normal(0, 2.5)\") or drop a predictor")
            }
        }
        (self.family, self.predictorNames, self.hasIntercept, self.transform) = (family, names, intercept, transform)
        (self.centers, self.scales, self.priors, self.design) = (centers, scales, priors, design)
        (self.response, self.trials, self.weights, self.offsets) = (response, trialValues, weightValues, offsetValues)
        totalWeight = weightValues.reduce(0, +)
        let sampledIntercept = transform == .none ? "Intercept" : "Intercept (at the predictor means)"
        let sampledB = transform == .standardize ? { (name: String) in "b[\(name)] (per sd)" } : { (name: String) in "b[\(name)]" }
        parameterNames = (intercept ? [sampledIntercept] : []) + names.map(sampledB) + (family.hasScale ? ["log sigma"] : [])
        reportedNames = (intercept ? ["Intercept"] : []) + names.map { "b[\($0)]" } + (family.hasScale ? ["sigma"] : [])
        // Bounds for runs without warm-up: the logit families' curvature is at most n/4 per observation.
        let priorCurvature = max(priors.coefficients.maximumCurvature, intercept ? priors.intercept.maximumCurvature : 0)
        if family == .bernoulli || family == .binomial {
            // The logistic curvature is at most ¼ per trial.
            smoothness = 0.25 * ((try? SymmetricEigen(gramAll))?.values.last ?? gramAll.storage.reduce(0) { $0 + abs($1) }) + priorCurvature
            // The likelihood is convex, so normal priors on every (α, β) bound the curvature from below.
            func precision(_ prior: RegressionPrior) -> Double? { if case let .normal(_, s) = prior { 1 / (s * s) } else { nil } }
            let precisions = (p > 0 ? [precision(priors.coefficients)] : []) + (intercept ? [precision(priors.intercept)] : [])
            strongConvexity = precisions.contains(where: { $0 == nil }) ? nil : precisions.compactMap { $0 }.min()
        } else {
            (smoothness, strongConvexity) = (nil, nil)
        }
        self.summary = summary ?? "\(family.rawValue) regression (\(family.link) link): \(n) observations, \(p) predictors (\(transform.rawValue))\(intercept ? " + intercept" : "")\(family.hasScale ? " + sigma" : ""); priors b ~ \(priors.coefficients)\(intercept ? ", Intercept ~ \(priors.intercept)" : "")\(family.hasScale ? ", sigma ~ \(priors.sigma) on σ > 0" : "")"
    }

    /// `Dᵀ diag(c) D` for row weights `c ≥ 0`: the rows scaled by `√cᵢ`, then one GEMM.
    static func weightedGram(_ design: Matrix, rowWeights c: [Double]) -> Matrix {
        let (n, q) = (design.rows, design.columns)
        var scaled = design
        for i in 0..<n where c[i] != 1 {
            let r = c[i].squareRoot()
            for j in 0..<q { scaled[i, j] *= r }
        }
        var gram = Matrix(rows: q, columns: q)
        scaled.withView { sv in
            gram.withMutableView { g in
                BLAS.gemm(.transpose, .none, m: q, n: q, k: n, alpha: 1, a: sv.base, lda: q, b: sv.base, ldb: q, beta: 0, c: g.base, ldc: q)
            }
        }
        return gram
    }

    public func evaluate(x: MatrixView, gradients: MutableMatrixView, values: UnsafeMutablePointer<Double>?) {
        let (c, n, q, d) = (x.rows, design.rows, design.columns, dimension)
        guard c > 0 else { return }
        let residuals = UnsafeMutablePointer<Double>.allocate(capacity: c * n)  // written by the first GEMM (β = 0)
        defer { residuals.deallocate() }
        let (intercept, coefficients, sigma) = (priors.intercept, priors.coefficients, priors.sigma)
        design.withView { dv in
            // H = Θ_q Dᵀ (C × n): the linear predictors less the offsets.
            BLAS.gemm(.none, .transpose, m: c, n: n, k: q, alpha: 1, a: x.base, lda: d, b: dv.base, ldb: q,
                      beta: 0, c: residuals, ldc: n)
            for r in 0..<c {
                let (theta, g) = (x.row(r), gradients.row(r))
                let u = family.hasScale ? theta[d - 1] : 0
                let inverseVariance = family.hasScale ? exp(-2 * u) : 1
                let h = residuals + r * n
                var f = 0.0, scaleSlope = 0.0
                for i in 0..<n {
                    let (value, slope) = family.loss(h[i] + offsets[i], y: response[i], trials: trials[i], inverseVariance: inverseVariance)
                    f += weights[i] * value
                    h[i] = weights[i] * slope
                    // ∂/∂u of wᵢ(rᵢ²/(2σ²) + u) is wᵢ(1 − rᵢ²/σ²) = wᵢ(1 − 2·value).
                    if family.hasScale { scaleSlope += weights[i] * (1 - 2 * value) }
                }
                var start = 0
                if hasIntercept {
                    f += intercept.potential(theta[0])
                    g[0] = intercept.derivative(theta[0])
                    start = 1
                }
                for j in start..<q {
                    f += coefficients.potential(theta[j])
                    g[j] = coefficients.derivative(theta[j])
                }
                if family.hasScale {
                    let s = exp(u)
                    f += u * totalWeight + sigma.potential(s) - u
                    g[d - 1] = scaleSlope + sigma.derivative(s) * s - 1
                }
                values?[r] = f
            }
            // G[:, 0..<q] += R D.
            BLAS.gemm(.none, .none, m: c, n: q, k: n, alpha: 1, a: residuals, lda: n, b: dv.base, ldb: q,
                      beta: 1, c: gradients.base, ldc: d)
        }
    }

    public func report(_ theta: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let p = predictorNames.count
        let first = hasIntercept ? 1 : 0
        var shift = 0.0
        for j in 0..<p {
            let b = theta[first + j] / scales[j]
            out[first + j] = b
            shift += b * centers[j]
        }
        if hasIntercept { out[0] = theta[0] - shift }
        if family.hasScale { out[first + p] = exp(theta[first + p]) }
    }
}
