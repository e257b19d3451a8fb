import Foundation
import MidpointFormats
import MidpointLinearAlgebra
import MidpointLogConcave
import MidpointMetrics
import MidpointTestSupport
import Testing

/// Regression posteriors: gradients against finite differences, the value against its formula, the map to
/// the reported scale, the model file's strict parsing, and a flat-prior gaussian posterior sampled to its
/// closed form.
@Suite struct RegressionModelTests {
    /// A deterministic data set: `n` rows, two correlated predictors, a response of `family`.
    static func data(_ family: RegressionFamily, n: Int = 40) -> (x: Matrix, y: [Double], trials: [Double]?) {
        var x = Matrix(rows: n, columns: 2)
        var y = [Double](repeating: 0, count: n), trials: [Double]? = family == .binomial ? [] : nil
        for i in 0..<n {
            let t = Double(i)
            x[i, 0] = 3 + sin(1.3 * t)
            x[i, 1] = cos(0.7 * t) + 0.5 * x[i, 0]
            let noise = (sin(12.9898 * t + 1) * 43758.5453).truncatingRemainder(dividingBy: 1)  // in (-1, 1)
            let eta = -0.5 + 0.8 * (x[i, 0] - 3) - 0.6 * x[i, 1]
            switch family {
            case .gaussian: y[i] = 1 + 2 * x[i, 0] - x[i, 1] + noise
            case .bernoulli: y[i] = noise < tanh(eta) ? 1 : 0
            case .binomial: trials!.append(Double(1 + i % 5)); y[i] = (Double(1 + i % 5) * (0.5 + 0.5 * tanh(eta)) + 0.5 * noise).rounded(.down).clamped(0, Double(1 + i % 5))
            case .poisson: y[i] = (exp(0.5 + 0.3 * eta) + 1.5 * noise).rounded().clamped(0, 50)
            }
        }
        return (x, y, trials)
    }

    static func valueAndGradient(_ p: any Potential, _ theta: [Double]) -> (Double, [Double]) {
        var g = [Double](repeating: 0, count: theta.count), f = 0.0
        theta.withUnsafeBufferPointer { tp in
            g.withUnsafeMutableBufferPointer { gp in
                p.evaluate(x: MatrixView(base: tp.baseAddress!, rows: 1, columns: theta.count),
                           gradients: MutableMatrixView(base: gp.baseAddress!, rows: 1, columns: theta.count), values: &f)
            }
        }
        return (f, g)
    }

    /// ∇f is the derivative of f (4th-order central differences, relative 1e-6) for every family, every
    /// transform, with and without an intercept, weights and offsets, under each kind of prior.
    @Test(arguments: RegressionFamily.allCases)
    func gradientsAreDerivativesOfTheValues(family: RegressionFamily) throws {
        let (x, y, trials) = Self.data(family)
        let n = y.count
        let weights = (0..<n).map { 0.5 + Double($0 % 3) * 0.5 }, offsets = (0..<n).map { 0.1 * sin(Double($0)) }
        let priorSets = [
            RegressionPriors(coefficients: .normal(location: 0.3, scale: 2.5), intercept: .studentT(degrees: 3, location: 1, scale: 2.5),
                             sigma: .studentT(degrees: 3, location: 0, scale: 2)),
            RegressionPriors(coefficients: .studentT(degrees: 1, location: 0, scale: 1), intercept: .flat, sigma: .exponential(rate: 1.5)),
            RegressionPriors(coefficients: .flat, intercept: .normal(location: 0, scale: 5), sigma: .normal(location: 0, scale: 1)),
        ]
        for transform in PredictorTransform.allCases {
            for intercept in [true, false] where intercept || transform == .none {
                for (k, priors) in priorSets.enumerated() {
                    let model = try RegressionModel(family: family, predictors: x, names: ["a", "b"], response: y, trials: trials,
                                                    weights: k == 1 ? weights : nil, offsets: k == 2 ? offsets : nil,
                                                    intercept: intercept, transform: transform, priors: priors)
                    for seed in 0..<2 {
                        let theta = (0..<model.dimension).map { 0.3 * sin(Double($0 * 5 + seed * 11 + 1)) }
                        let (_, g) = Self.valueAndGradient(model, theta)
                        let fd = FiniteDifference.gradient(of: { Self.valueAndGradient(model, $0).0 }, at: theta, step: 1e-3)
                        let scale = max(g.map(abs).max()!, 1)
                        for (a, b) in zip(g, fd) {
                            #expect(abs(a - b) <= 1e-6 * scale, "\(model.summary) θ \(theta): \(a) vs \(b)")
                        }
                    }
                }
            }
        }
    }

    /// The gaussian potential is the documented sum, term by term, on three observations.
    @Test func gaussianValueIsTheFormula() throws {
        let x = Matrix(rowArrays: [[1], [2], [4]]), y = [0.5, 1.5, 2.0], w = [1, 2, 0.5]
        let priors = RegressionPriors(coefficients: .normal(location: 0, scale: 2), intercept: .studentT(degrees: 3, location: 1, scale: 2.5),
                                      sigma: .exponential(rate: 0.5))
        let model = try RegressionModel(family: .gaussian, predictors: x, names: ["x"], response: y, weights: w,
                                        intercept: true, transform: .none, priors: priors)
        let (alpha, beta, u) = (0.2, 0.4, log(0.8))
        let sigma = exp(u)
        var expected = 0.0
        for i in 0..<3 {
            let r = y[i] - alpha - beta * x[i, 0]
            expected += w[i] * (r * r / (2 * sigma * sigma) + u)
        }
        expected += 2 * log1p(pow((alpha - 1) / 2.5, 2) / 3)   // student_t(3, 1, 2.5): (ν+1)/2 log(1 + z²/ν)
        expected += beta * beta / 8                               // normal(0, 2)
        expected += 0.5 * sigma - u                               // exponential(0.5) and the Jacobian of σ = e^u
        let (f, _) = Self.valueAndGradient(model, [alpha, beta, u])
        #expect(abs(f - expected) <= 1e-12 * abs(expected))
    }

    /// The reported parameters give the same linear predictor on the raw predictors as the sampled ones on
    /// the transformed predictors, and σ = e^u.
    @Test(arguments: PredictorTransform.allCases)
    func reportedScaleGivesTheSameLinearPredictor(transform: PredictorTransform) throws {
        let (x, y, _) = Self.data(.gaussian)
        let model = try RegressionModel(family: .gaussian, predictors: x, names: ["a", "b"], response: y, transform: transform)
        #expect(model.reportedNames == ["Intercept", "b[a]", "b[b]", "sigma"])
        let theta = [0.7, -1.2, 2.5, 0.3]
        let out = model.reported(theta)
        let mean = (0..<2).map { j in (0..<y.count).reduce(0.0) { $0 + x[$1, j] } / Double(y.count) }
        let sd = (0..<2).map { j in ((0..<y.count).reduce(0.0) { $0 + pow(x[$1, j] - mean[j], 2) } / Double(y.count - 1)).squareRoot() }
        for i in 0..<y.count {
            var sampled = theta[0], reported = out[0]
            for j in 0..<2 {
                let z = transform == .none ? x[i, j] : (x[i, j] - mean[j]) / (transform == .standardize ? sd[j] : 1)
                sampled += theta[1 + j] * z
                reported += out[1 + j] * x[i, j]
            }
            #expect(abs(sampled - reported) <= 1e-12 * max(abs(sampled), 1))
        }
        #expect(abs(out[3] - exp(0.3)) <= 1e-15)
    }

    /// With flat priors on (α, β) and on σ the gaussian posterior is known in closed form: the coefficients
    /// are multivariate t around the least-squares fit β̂ with covariance RSS/(n − q − 3) (XᵀX)⁻¹ (q columns of
    /// X = [1 x₁ x₂]), and σ² is inverse-gamma with mean RSS/(n − q − 3). The default sampler with warm-up
    /// must match both. Tolerances: a mean is off by at most 5 Monte Carlo standard errors sd/√ESS; an sd by
    /// 5 of its relative standard error 1/√(2 ESS) plus 3% for the discretization bias the Stein check
    /// bounds at this step (the t tails make the sd's error larger than a Gaussian's, which the margin covers).
    @Test func flatPriorGaussianPosteriorIsTheClosedForm() throws {
        let (x, y, _) = Self.data(.gaussian, n: 60)
        let n = y.count, q = 3
        let model = try RegressionModel(family: .gaussian, predictors: x, names: ["a", "b"], response: y, transform: .center,
                                        priors: RegressionPriors(coefficients: .flat, intercept: .flat, sigma: .flat))
        // Least squares on the raw design.
        var xtx = [[Double]](repeating: [Double](repeating: 0, count: q), count: q), xty = [Double](repeating: 0, count: q)
        for i in 0..<n {
            let row = [1, x[i, 0], x[i, 1]]
            for a in 0..<q { xty[a] += row[a] * y[i]; for b in 0..<q { xtx[a][b] += row[a] * row[b] } }
        }
        let inverse = Self.invert(xtx)
        let betaHat = (0..<q).map { a in (0..<q).reduce(0.0) { $0 + inverse[a][$1] * xty[$1] } }
        let rss = (0..<n).reduce(0.0) { s, i in s + pow(y[i] - betaHat[0] - betaHat[1] * x[i, 0] - betaHat[2] * x[i, 1], 2) }
        let scale = rss / Double(n - q - 3)
        var options = MCMCOptions(chains: 4, draws: 5000, warmup: 1000, seed: 11)
        options.threads = 2
        let result = try MCMCRun.run(sampler: "rm-ulmc-pc", potential: model, parameters: .init(), options: options,
                                     adaptation: WarmupAdaptation())
        let draws = model.reported(result.draws)
        func chains(_ f: (UnsafePointer<Double>) -> Double) -> [[Double]] {
            draws.withUnsafeBufferPointer { p in
                (0..<4).map { c in (0..<5000).map { t in f(p.baseAddress! + (c * 5000 + t) * 4) } }
            }
        }
        for j in 0..<q {
            let c = chains { $0[j] }
            let all = c.flatMap { $0 }
            let mean = all.reduce(0, +) / Double(all.count)
            let sd = (all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count - 1)).squareRoot()
            let ess = ConvergenceDiagnostics.bulkESS(c)
            let exactSD = (scale * inverse[j][j]).squareRoot()
            #expect(abs(mean - betaHat[j]) <= 5 * exactSD / ess.squareRoot(), "\(model.reportedNames[j]): mean \(mean) vs \(betaHat[j]), ESS \(ess)")
            #expect(abs(sd / exactSD - 1) <= 5 / (2 * ess).squareRoot() + 0.03, "\(model.reportedNames[j]): sd \(sd) vs \(exactSD), ESS \(ess)")
        }
        let variance = chains { $0[3] * $0[3] }
        let all = variance.flatMap { $0 }
        let mean = all.reduce(0, +) / Double(all.count)
        let sd = (all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count - 1)).squareRoot()
        #expect(abs(mean - scale) <= 5 * sd / ConvergenceDiagnostics.bulkESS(variance).squareRoot() + 0.01 * scale, "E σ² \(mean) vs \(scale)")
    }

    /// Gauss–Jordan inverse of a small well-conditioned matrix.
    static func invert(_ a: [[Double]]) -> [[Double]] {
        let n = a.count
        var m = a.enumerated().map { i, row in row + (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for col in 0..<n {
            let pivot = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            m.swapAt(col, pivot)
            let p = m[col][col]
            m[col] = m[col].map { $0 / p }
            for r in 0..<n where r != col {
                let f = m[r][col]
                m[r] = zip(m[r], m[col]).map { $0 - f * $1 }
            }
        }
        return m.map { Array($0[n...]) }
    }

    /// Malformed model files are refused with the field's path and what is allowed.
    @Test(arguments: [
        (#"{"kind": "regression", "family": "gamma", "data": "d.csv", "response": "y"}"#, "family is \"gamma\" (allowed: gaussian, bernoulli, binomial, poisson)"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "z"}"#, "response is 'z', not a column of d.csv (columns: y, a, b, n, w)"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "priors": {"sigma": "normal(0)"}}"#, "priors.sigma is \"normal(0)\": normal takes 2 arguments, got 1"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "priors": {"coefficients": "half_normal(1)"}}"#, "priors.coefficients is \"half_normal(1)\": half_normal is for a positive parameter (sigma)"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "priors": {"beta": "flat"}}"#, "priors.beta is not a prior block (allowed: coefficients, intercept, sigma)"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "priors": {"intercept": "normal(0, -1)"}}"#, "priors.intercept is \"normal(0, -1)\": its scale must be in 1e-100...1e100"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "predictors": ["a", "y"]}"#, "predictors[1] is 'y', which is already the response column"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "predictors": "some"}"#, "predictors must be \"all\" or a list of column names"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "intercept": 1}"#, "intercept must be true or false, got 1"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "intercept": false, "predictor_transform": "center"}"#, "predictor_transform is \"center\", which needs an intercept"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "predictors": ["a"], "weights": "w"}"#, "data has 2 observations for 1 coefficients and the intercept"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "priors": {"sigma": "gamma(2, 1)", "coefficients": "normal()"}}"#, "priors.coefficients is \"normal()\": normal takes 2 arguments, got 0"),
        (#"{"kind": "regression", "family": "poisson", "data": "d.csv", "response": "a", "predictors": ["b"]}"#, "data: column 'a' row 1 must be a non-negative integer for family poisson, got 2.5"),
        (#"{"kind": "regression", "family": "binomial", "data": "d.csv", "response": "y", "predictors": ["a"]}"#, "trials is required for family binomial"),
        (#"{"kind": "regression", "family": "binomial", "data": "d.csv", "response": "y", "trials": "n", "predictors": ["a"]}"#, "data: column 'y' row 3 must be an integer in 0...2.0 (its trials) for family binomial, got 3.0"),
        (#"{"kind": "regression", "family": "bernoulli", "data": "d.csv", "response": "y", "trials": "n"}"#, "trials is only for family binomial, not bernoulli"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "weights": "y"}"#, "column 'y' is named for two roles"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "predictors": ["a"], "weights": "b"}"#, "data: weights row 2 must be finite and ≥ 0, got -1.0"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "predictors": ["n"], "predictor_transform": "scale"}"#, "predictor_transform is \"scale\" (allowed: none, center, standardize)"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "family2": 1}"#, "family2 is not a field of a regression model"),
        (#"{"kind": "regression", "family": "bernoulli", "data": "d.csv", "response": "w", "predictors": ["a"], "priors": {"sigma": "flat"}}"#, "priors.sigma is given but family bernoulli has no sigma"),
        (#"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y"}"#, "data has 3 observations for 4 coefficients and the intercept: a gaussian model needs more observations"),
        (#"{"kind": "regression", "family": "bernoulli", "data": "d.csv", "response": "w", "predictors": ["a", "b", "n"], "priors": {"coefficients": "flat"}}"#, "priors.coefficients is flat while the columns it covers are collinear (3 observations, 3 columns"),
    ])
    func malformedModelFilesNameTheField(json: String, message: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regression-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "y,a,b,n,w\n1,2.5,1,1,1\n0,1,-1,2,0\n3,4,2,2,1\n".write(to: dir.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        do {
            _ = try PotentialSpec.parse(Data(json.utf8), baseDirectory: dir.path)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    /// The identifiability checks do not depend on a column's units: two independent columns a million
    /// times apart in scale, under flat priors, are accepted (the raw Gram matrix's condition is ~1e14); and
    /// a model without an intercept is not centered by default.
    @Test func checksAreUnitFreeAndNoInterceptMeansNoTransform() throws {
        var x = Matrix(rows: 12, columns: 2)
        for i in 0..<12 { x[i, 0] = Double(i); x[i, 1] = 1e6 * sin(Double(i)) }
        let y = (0..<12).map { 0.3 * Double($0) + cos(Double($0)) }
        let flat = RegressionPriors(coefficients: .flat, intercept: .flat, sigma: .flat)
        let model = try RegressionModel(family: .gaussian, predictors: x, names: ["small", "large"], response: y,
                                        transform: .none, priors: flat)
        #expect(model.dimension == 4)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regression-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "y,a,b\n1,2.5,1\n0,1,-1\n3,4,2\n2,3,0\n".write(to: dir.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let json = #"{"kind": "regression", "family": "gaussian", "data": "d.csv", "response": "y", "intercept": false}"#
        let parsed = try #require(try PotentialSpec.parse(Data(json.utf8), baseDirectory: dir.path) as? RegressionModel)
        #expect(parsed.transform == .none && !parsed.hasIntercept)
    }

    /// A constant predictor is refused by name (its coefficient is not identified beside the intercept).
    @Test func constantPredictorIsRefused() {
        let x = Matrix(rowArrays: [[1, 2], [1, 3], [1, 5]])
        do {
            _ = try RegressionModel(family: .gaussian, predictors: x, names: ["one", "z"], response: [1, 2, 3])
            Issue.record("accepted a constant predictor")
        } catch {
            #expect(error.description.hasPrefix("predictors: 'one' is constant (1.0)"), "\(error)")
        }
    }
}

private extension Double {
    func clamped(_ lo: Double, _ hi: Double) -> Double { Swift.min(Swift.max(self, lo), hi) }
}
