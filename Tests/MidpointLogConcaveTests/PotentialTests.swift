import Foundation
import MidpointFormats
import MidpointLinearAlgebra
import MidpointLogConcave
import MidpointTestSupport
import Testing

/// Potentials: gradients against finite differences of their values, built-ins, JSON errors.
@Suite struct PotentialTests {
    func valueAndGradient(_ p: any Potential, _ x: [Double]) -> (Double, [Double]) {
        var g = [Double](repeating: 0, count: x.count)
        var f = 0.0
        x.withUnsafeBufferPointer { xp in
            g.withUnsafeMutableBufferPointer { gp in
                p.evaluate(x: MatrixView(base: xp.baseAddress!, rows: 1, columns: x.count),
                           gradients: MutableMatrixView(base: gp.baseAddress!, rows: 1, columns: x.count), values: &f)
            }
        }
        return (f, g)
    }

    /// ∇f equals the 4th-order central difference of f (relative 1e-6) at random points, for the
    /// rotated Gaussian, a diagonal Gaussian (the elementwise path) and the breast-cancer posterior.
    @Test func gradientsAreDerivativesOfTheValues() throws {
        var diag = Matrix(rows: 3, columns: 3)
        for i in 0..<3 { diag[i, i] = [0.5, 2, 7][i] }
        let potentials: [any Potential] = [
            try GaussianPotential.illConditioned(dimension: 7, condition: 50),
            try GaussianPotential(mean: [1, -2, 0.5], covariance: diag),
            try BuiltinPotential.breastCancer.make(),
        ]
        for p in potentials {
            for seed in 0..<3 {
                let x = (0..<p.dimension).map { sin(Double($0 * 7 + seed * 13)) * 0.8 }
                let (_, g) = valueAndGradient(p, x)
                let fd = FiniteDifference.gradient(of: { valueAndGradient(p, $0).0 }, at: x, step: 1e-3)
                let scale = g.map(abs).max()!
                for (a, b) in zip(g, fd) { #expect(abs(a - b) <= 1e-6 * scale, "\(p.summary): \(a) vs \(b)") }
            }
        }
    }

    /// Rows of a batch are independent: a batch gives the row-by-row results exactly.
    @Test func batchesEqualRowByRow() throws {
        let p = try BuiltinPotential.breastCancer.make()
        let d = p.dimension
        var x = Matrix(rows: 5, columns: d)
        for i in 0..<5 { for j in 0..<d { x[i, j] = cos(Double(i * d + j)) } }
        var g = Matrix(rows: 5, columns: d)
        var f = [Double](repeating: 0, count: 5)
        x.withView { xv in g.withMutableView { gv in f.withUnsafeMutableBufferPointer { p.evaluate(x: xv, gradients: gv, values: $0.baseAddress!) } } }
        for i in 0..<5 {
            let (fi, gi) = valueAndGradient(p, (0..<d).map { x[i, $0] })
            #expect(abs(fi - f[i]) <= 1e-12 * abs(fi))
            for j in 0..<d { #expect(abs(gi[j] - g[i, j]) <= 1e-12 * max(abs(gi[j]), 1)) }
        }
    }

    @Test func breastCancerIsTheDocumentedPosterior() throws {
        let p = try #require(try BuiltinPotential.breastCancer.make() as? LogisticRegressionPotential)
        #expect(p.dimension == 31 && p.design.rows == 569)
        #expect(p.parameterNames.first == "intercept" && p.parameterNames[1] == "mean_radius")
        #expect(p.labels.reduce(0, +) == 357)  // benign cases in the UCI data
        // Standardized columns: mean 0, sample sd 1.
        for j in 1..<p.dimension {
            let col = (0..<569).map { p.design[$0, j] }
            let mean = col.reduce(0, +) / 569
            let sd = (col.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 568).squareRoot()
            #expect(abs(mean) < 1e-12 && abs(sd - 1) < 1e-12)
        }
        #expect(p.strongConvexity == 1 && p.smoothness! > 1)
    }

    @Test func jsonErrorsNameTheField() {
        let cases: [(String, String)] = [
            ("[1, 2]", "JSON must be an object"),
            ("{\"kind\": \"cauchy\"}", "kind must be \"regression\", \"gaussian\" or \"logistic\", got \"cauchy\""),
            ("{\"kind\": \"gaussian\", \"mean\": [0, 1], \"covariance\": [[1, 0]]}", "covariance must have 2 rows, got 1"),
            ("{\"kind\": \"gaussian\", \"mean\": [0, 1], \"covariance\": [[1, 0], [0]]}", "covariance[1] must be 2 numbers"),
            ("{\"kind\": \"gaussian\", \"mean\": [0, \"a\"], \"covariance\": [[1, 0], [0, 1]]}", "mean must be an array of numbers"),
            ("{\"kind\": \"gaussian\", \"mean\": [0, 1], \"covariance\": [[1, 2], [2, 1]]}", "covariance must have eigenvalues in [1e-12, 1e12], got ["),
            ("{\"kind\": \"logistic\", \"data\": \"missing.csv\", \"label\": \"y\"}", "cannot use './missing.csv': cannot access './missing.csv'"),
            ("{\"kind\": ", "JSON is not valid JSON"),
        ]
        for (json, needle) in cases {
            let outcome: Result<any Potential, PotentialError>
            do { outcome = .success(try PotentialSpec.parse(Data(json.utf8))) } catch { outcome = .failure(error) }
            guard case let .failure(error) = outcome else { Issue.record("accepted \(json)"); continue }
            #expect(error.description.contains(needle), "\(json): \(error)")
        }
        let unknown: Result<any Potential, PotentialError>
        do { unknown = .success(try PotentialSpec.load("no-such-potential")) } catch { unknown = .failure(error) }
        guard case let .failure(error) = unknown else { Issue.record("accepted an unknown name"); return }
        #expect(error.description.contains("breast-cancer"))
    }

    @Test func logisticDataIsValidated() {
        let table = Table(columns: ["a", "y"], rows: [[.text("1"), .text("0")], [.text("1"), .text("1")], [.text("1"), .text("2")]])
        let outcome: Result<LogisticRegressionPotential, PotentialError>
        do { outcome = .success(try LogisticRegressionPotential(csv: table, label: "y", priorScale: 1)) } catch { outcome = .failure(error) }
        guard case let .failure(error) = outcome else { Issue.record("accepted label 2"); return }
        #expect(error.description == "labels[2] must be 0 or 1, got 2.0")
    }
}

@Suite struct PotentialSpecStrictnessTests {
    /// A field of the wrong type (once silently ignored) and an unknown key are refused by name.
    @Test(arguments: [
        (#"{"kind": "logistic", "data": "x.csv", "label": "y", "prior_scale": "10"}"#, "prior_scale must be a finite number > 0, got 10"),
        (#"{"kind": "logistic", "data": "x.csv", "label": "y", "prior": 10}"#, "prior is not a field of a logistic potential (allowed: data, kind, label, prior_scale)"),
        (#"{"kind": "gaussian", "mean": [0], "covariance": [[1]], "cov": 1}"#, "cov is not a field of a gaussian potential (allowed: covariance, kind, mean)"),
    ])
    func refusesMistypedAndUnknownFields(json: String, field: String) {
        do {
            _ = try PotentialSpec.parse(Data(json.utf8))
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description.contains(field), "\(error.description)")
        }
    }
}
