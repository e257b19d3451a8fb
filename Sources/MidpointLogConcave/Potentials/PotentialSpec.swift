import Foundation
import MidpointFormats
import MidpointLinearAlgebra

/// Potentials from JSON files, and name-or-file resolution for the CLI.
///
/// ```json
/// {"kind": "gaussian", "mean": [0, 1], "covariance": [[1, 0.5], [0.5, 2]]}
/// {"kind": "logistic", "data": "table.csv", "label": "y", "prior_scale": 1.0}
/// {"kind": "regression", "family": "poisson", "data": "counts.csv", "response": "y", "priors": {"coefficients": "normal(0, 1)"}}
/// ```
/// A regression's fields are ``RegressionModel/parse(_:baseDirectory:)``'s.
///
/// A logistic `data` path is relative to the JSON file; every column except `label` is a feature.
public enum PotentialSpec {
    /// A built-in name (``BuiltinPotential``) or a JSON file.
    public static func load(_ nameOrPath: String) throws(PotentialError) -> any Potential {
        if let builtin = BuiltinPotential(rawValue: nameOrPath) { return try builtin.make() }
        guard FileManager.default.fileExists(atPath: nameOrPath) else {
            throw .unknownPotential(nameOrPath, available: BuiltinPotential.names)
        }
        let data: Data
        do { data = try InputFile.read(nameOrPath) } catch {
            throw .data(path: nameOrPath, reason: error.description)
        }
        return try parse(data, baseDirectory: URL(fileURLWithPath: nameOrPath).deletingLastPathComponent().path)
    }

    /// Parses a JSON potential; `baseDirectory` resolves relative data paths.
    public static func parse(_ data: Data, baseDirectory: String = ".") throws(PotentialError) -> any Potential {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .invalid(field: "JSON", reason: "is not valid JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any] else { throw .invalid(field: "JSON", reason: "must be an object") }
        guard let kind = root["kind"] as? String else { throw .invalid(field: "kind", reason: "must be \"regression\", \"gaussian\" or \"logistic\"") }
        if kind == "regression" { return try RegressionModel.parse(root, baseDirectory: baseDirectory) }
        let allowed: [String: Set<String>] = ["gaussian": ["kind", "mean", "covariance"],
                                              "logistic": ["kind", "data", "label", "prior_scale"]]
        if let fields = allowed[kind], let unknown = root.keys.sorted().first(where: { !fields.contains($0) }) {
            throw .invalid(field: unknown, reason: "is not a field of a \(kind) potential (allowed: \(fields.sorted().joined(separator: ", ")))")
        }
        switch kind {
        case "gaussian":
            guard let mean = numbers(root["mean"]) else { throw .invalid(field: "mean", reason: "must be an array of numbers") }
            guard let rows = root["covariance"] as? [Any] else {
                throw .invalid(field: "covariance", reason: "must be an array of rows of numbers")
            }
            var cov: [[Double]] = []
            for (i, row) in rows.enumerated() {
                guard let r = numbers(row), r.count == mean.count else {
                    throw .invalid(field: "covariance[\(i)]", reason: "must be \(mean.count) numbers")
                }
                cov.append(r)
            }
            guard cov.count == mean.count else {
                throw .invalid(field: "covariance", reason: "must have \(mean.count) rows, got \(cov.count)")
            }
            return try GaussianPotential(mean: mean, covariance: Matrix(rowArrays: cov))
        case "logistic":
            guard let path = root["data"] as? String else { throw .invalid(field: "data", reason: "must be a CSV path") }
            guard let label = root["label"] as? String else { throw .invalid(field: "label", reason: "must name the label column") }
            var scale = 1.0
            if let value = root["prior_scale"] {
                // A string or boolean here used to be ignored silently; refuse it with its field.
                guard let n = value as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite, n.doubleValue > 0 else {
                    throw .invalid(field: "prior_scale", reason: "must be a finite number > 0, got \(value)")
                }
                scale = n.doubleValue
            }
            let full = path.hasPrefix("/") ? path : baseDirectory + "/" + path
            let table: Table
            do { table = try Table.readCSV(contentsOf: full) } catch { throw .data(path: full, reason: error.description) }
            return try LogisticRegressionPotential(csv: table, label: label, priorScale: scale)
        default:
            throw .invalid(field: "kind", reason: "must be \"regression\", \"gaussian\" or \"logistic\", got \"\(kind)\"")
        }
    }

    /// An array of finite JSON numbers, or nil.
    static func numbers(_ value: Any?) -> [Double]? {
        guard let array = value as? [Any] else { return nil }
        var out: [Double] = []
        for element in array {
            guard let n = element as? NSNumber else { return nil }
            let x = n.doubleValue
            guard x.isFinite else { return nil }
            out.append(x)
        }
        return out
    }
}
