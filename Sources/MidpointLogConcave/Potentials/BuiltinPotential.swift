import Foundation
import MidpointFormats

/// The potentials that ship with Midpoint, by name.
public enum BuiltinPotential: String, CaseIterable, Sendable {
    /// 100-D Gaussian with condition number 100 (eigenvalues log-spaced in [0.01, 1], rotated).
    case gaussian100 = "gaussian100"
    /// 50-D Gaussian with condition number 10⁴ (eigenvalues log-spaced in [1e-4, 1], rotated).
    case gaussianIll = "gaussian-ill"
    /// Bayesian logistic regression on the Wisconsin breast-cancer data (569 × 30, label `benign`),
    /// standardized features, intercept, prior N(0, 1) on every coefficient.
    case breastCancer = "breast-cancer"

    /// The built-in names.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// Builds the potential.
    /// - Throws: ``PotentialError`` only if the bundled data file is missing or damaged.
    public func make() throws(PotentialError) -> any Potential {
        switch self {
        case .gaussian100: return try GaussianPotential.illConditioned(dimension: 100, condition: 100)
        case .gaussianIll: return try GaussianPotential.illConditioned(dimension: 50, condition: 1e4)
        case .breastCancer:
            guard let url = Bundle.module.url(forResource: "breast_cancer", withExtension: "csv") else {
                throw .data(path: "breast_cancer.csv", reason: "the bundled resource is missing")
            }
            let table: Table
            do { table = try Table.readCSV(contentsOf: url.path) } catch {
                throw .data(path: url.path, reason: error.description)
            }
            return try LogisticRegressionPotential(
                csv: table, label: "benign", priorScale: 1,
                summary: "breast-cancer logistic regression: 569 patients, 30 standardized features + intercept, prior N(0, 1)")
        }
    }
}
