import Foundation
import MidpointFormats
import MidpointLinearAlgebra

extension RegressionModel {
    /// The fields of a regression model file (`docs/log-concave.md`, "Regression models").
    public static let fileFields: Set<String> = ["kind", "family", "data", "response", "predictors", "intercept",
                                                 "predictor_transform", "trials", "weights", "offset", "priors"]
    /// The blocks of its `priors` object.
    public static let priorBlocks: Set<String> = ["coefficients", "intercept", "sigma"]

    /// A model from the JSON object of a model file whose `data` path is relative to `baseDirectory`.
    /// - Throws: ``PotentialError/invalid(field:reason:)`` with the field's path (`priors.sigma`,
    ///   `predictors[2]`, `data: column 'y' row 17`) and what is allowed, or ``PotentialError/data(path:reason:)``
    ///   when the CSV cannot be read.
    public static func parse(_ root: [String: Any], baseDirectory: String) throws(PotentialError) -> RegressionModel {
        if let unknown = root.keys.sorted().first(where: { !fileFields.contains($0) }) {
            throw .invalid(field: unknown, reason: "is not a field of a regression model (allowed: \(fileFields.sorted().joined(separator: ", ")))")
        }
        let familyName = try string(root, "family")
        guard let family = RegressionFamily(rawValue: familyName) else {
            throw .invalid(field: "family", reason: "is \"\(familyName)\" (allowed: \(RegressionFamily.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let path = try string(root, "data")
        let full = path.hasPrefix("/") ? path : baseDirectory + "/" + path
        let table: Table
        do { table = try Table.readCSV(contentsOf: full) } catch { throw .data(path: full, reason: error.description) }
        func column(_ field: String, required: Bool) throws(PotentialError) -> String? {
            guard root[field] != nil || required else { return nil }
            let name = try string(root, field)
            guard table.columns.contains(name) else {
                throw .invalid(field: field, reason: "is '\(name)', not a column of \(path) (columns: \(table.columns.joined(separator: ", ")))")
            }
            return name
        }
        let response = try column("response", required: true)!
        let trials = try column("trials", required: false), weights = try column("weights", required: false)
        let offset = try column("offset", required: false)
        let named = [response, trials, weights, offset].compactMap { $0 }
        if let twice = named.indices.first(where: { i in named[(i + 1)...].contains(named[i]) }) {
            throw .invalid(field: "data", reason: "column '\(named[twice])' is named for two roles (response, trials, weights, offset)")
        }
        let predictors: [String]
        switch root["predictors"] {
        case nil: predictors = table.columns.filter { !named.contains($0) }
        case let text as String where text == "all": predictors = table.columns.filter { !named.contains($0) }
        case let list as [Any]:
            var names: [String] = []
            for (i, item) in list.enumerated() {
                guard let name = item as? String else { throw .invalid(field: "predictors[\(i)]", reason: "must be a column name (a string), got \(item)") }
                guard table.columns.contains(name) else {
                    throw .invalid(field: "predictors[\(i)]", reason: "is '\(name)', not a column of \(path) (columns: \(table.columns.joined(separator: ", ")))")
                }
                guard !named.contains(name) else { throw .invalid(field: "predictors[\(i)]", reason: "is '\(name)', which is already the \(role(of: name, root)) column") }
                guard !names.contains(name) else { throw .invalid(field: "predictors[\(i)]", reason: "names '\(name)' twice") }
                names.append(name)
            }
            predictors = names
        case let other?: throw .invalid(field: "predictors", reason: "must be \"all\" or a list of column names, got \(other)")
        }
        var intercept = true
        if let value = root["intercept"] {
            guard let flag = value as? Bool, isBoolean(value) else { throw .invalid(field: "intercept", reason: "must be true or false, got \(value)") }
            intercept = flag
        }
        // brms centers only a model with an intercept.
        var transform = intercept ? PredictorTransform.center : .none
        if root["predictor_transform"] != nil {
            let name = try string(root, "predictor_transform")
            guard let t = PredictorTransform(rawValue: name) else {
                throw .invalid(field: "predictor_transform", reason: "is \"\(name)\" (allowed: \(PredictorTransform.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            transform = t
        }
        func values(_ names: [String]) throws(PotentialError) -> [Double] {
            do { return try table.numericColumns(names).values } catch { throw .invalid(field: "data", reason: error.description) }
        }
        let y = try values([response])
        var priors = RegressionPriors.defaults(family: family, response: y)
        if let value = root["priors"] {
            guard let object = value as? [String: Any] else { throw .invalid(field: "priors", reason: "must be an object with coefficients, intercept or sigma") }
            if let unknown = object.keys.sorted().first(where: { !priorBlocks.contains($0) }) {
                throw .invalid(field: "priors.\(unknown)", reason: "is not a prior block (allowed: \(priorBlocks.sorted().joined(separator: ", ")))")
            }
            for (block, raw) in object.sorted(by: { $0.key < $1.key }) {
                guard let text = raw as? String else { throw .invalid(field: "priors.\(block)", reason: "must be a string such as \"normal(0, 2.5)\", got \(raw)") }
                let prior = try RegressionPrior.parse(text, field: "priors.\(block)", positive: block == "sigma")
                switch block {
                case "coefficients": priors.coefficients = prior
                case "intercept":
                    guard intercept else { throw .invalid(field: "priors.intercept", reason: "is given but the model has no intercept (\"intercept\": false)") }
                    priors.intercept = prior
                default:
                    guard family.hasScale else { throw .invalid(field: "priors.sigma", reason: "is given but family \(family.rawValue) has no sigma") }
                    priors.sigma = prior
                }
            }
        }
        let x = try values(predictors)
        return try RegressionModel(
            family: family, predictors: Matrix(rows: y.count, columns: predictors.count, storage: x), names: predictors,
            response: y, trials: try trials.map { n throws(PotentialError) in try values([n]) },
            weights: try weights.map { n throws(PotentialError) in try values([n]) },
            offsets: try offset.map { n throws(PotentialError) in try values([n]) },
            intercept: intercept, transform: transform, priors: priors, responseName: response,
            summary: nil)
    }

    /// A required string field.
    static func string(_ root: [String: Any], _ field: String) throws(PotentialError) -> String {
        guard let value = root[field] else { throw .invalid(field: field, reason: "is missing") }
        guard let text = value as? String else { throw .invalid(field: field, reason: "must be a string, got \(value)") }
        return text
    }

    /// Which role a column plays, for messages.
    static func role(of name: String, _ root: [String: Any]) -> String {
        ["response", "trials", "weights", "offset"].first { root[$0] as? String == name } ?? "response"
    }

    /// Whether a JSON value is a boolean (Foundation bridges `true` and `1` alike).
    static func isBoolean(_ value: Any) -> Bool {
        guard let n = value as? NSNumber else { return false }
        return String(cString: n.objCType) == "c"
    }
}
