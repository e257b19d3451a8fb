import Foundation
import MidpointFormats
import MidpointLinearAlgebra

/// Loads exact targets from the documented JSON format, validating every field.
///
/// ```json
/// {"kind": "gaussian", "mean": [0, 1], "covariance": {"full": [[1, 0.5], [0.5, 2]]}}
/// {"kind": "mixture", "components": [
///     {"weight": 0.3, "mean": [-2, 0], "covariance": {"isotropic": 0.25}},
///     {"weight": 0.7, "mean": [2, 0], "covariance": {"diagonal": [0.5, 0.1]}}]}
/// {"kind": "product", "dimension": 1024, "components": [
///     {"weight": 0.5, "mean": -2, "variance": 0.25}, {"weight": 0.5, "mean": 2, "variance": 0.25}]}
/// ```
/// An optional `"description"` string becomes the target's summary. Errors name the JSON path of the
/// offending field and the values allowed.
public enum TargetSpec {
    /// Parses a target from JSON bytes.
    public static func parse(_ data: Data) throws(TargetError) -> any ExactTarget {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw .invalidJSON((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)")
        }
        guard let object = root as? [String: Any] else {
            throw .invalidField(path: "$", reason: "the top level must be a JSON object")
        }
        var summary: String?
        if let value = object["description"] {
            guard let text = value as? String else { throw .invalidField(path: "description", reason: "must be a string") }
            summary = text
        }
        guard let kind = object["kind"] else {
            throw .missingField(path: "kind", expected: "one of \"gaussian\", \"mixture\", \"product\"")
        }
        let fields: [String: Set<String>] = ["gaussian": ["kind", "description", "mean", "covariance"],
                                             "mixture": ["kind", "description", "components"],
                                             "product": ["kind", "description", "dimension", "components"]]
        if let kind = kind as? String, let allowed = fields[kind] { try checkKeys(object, allowed: allowed, path: "") }
        switch kind as? String {
        case "gaussian":
            let mean = try vector(object["mean"], path: "mean")
            let cov = try covariance(object["covariance"], path: "covariance", dimension: mean.count)
            return try GaussianMixtureTarget(mean: mean, covariance: cov, summary: summary ?? "Gaussian")
        case "mixture":
            let comps = try array(object["components"], path: "components")
            var parsed: [GaussianComponent] = []
            for (k, c) in comps.enumerated() {
                let path = "components[\(k)]"
                guard let o = c as? [String: Any] else { throw .invalidField(path: path, reason: "must be an object") }
                try checkKeys(o, allowed: ["weight", "mean", "covariance"], path: path + ".")
                let weight = try number(o["weight"] ?? 1.0, path: path + ".weight")
                let mean = try vector(o["mean"], path: path + ".mean")
                let cov = try covariance(o["covariance"], path: path + ".covariance", dimension: mean.count)
                parsed.append(GaussianComponent(weight: weight, mean: mean, covariance: cov))
            }
            return try GaussianMixtureTarget(components: parsed, summary: summary ?? "Gaussian mixture")
        case "product":
            let dimension = try number(object["dimension"], path: "dimension")
            guard dimension >= 1, dimension == dimension.rounded(), dimension <= 1_000_000 else {
                throw .invalidField(path: "dimension", reason: "must be an integer in 1...1000000, got \(dimension)")
            }
            let comps = try array(object["components"], path: "components")
            var w: [Double] = [], m: [Double] = [], v: [Double] = []
            for (k, c) in comps.enumerated() {
                let path = "components[\(k)]"
                guard let o = c as? [String: Any] else { throw .invalidField(path: path, reason: "must be an object") }
                try checkKeys(o, allowed: ["weight", "mean", "variance"], path: path + ".")
                w.append(try number(o["weight"] ?? 1.0, path: path + ".weight"))
                m.append(try number(o["mean"], path: path + ".mean"))
                v.append(try number(o["variance"], path: path + ".variance"))
            }
            return try ProductMixtureTarget(marginal: ScalarMixture(weights: w, means: m, variances: v),
                                            dimension: Int(dimension), summary: summary ?? "product of 1-D mixtures")
        default:
            throw .invalidField(path: "kind", reason: "must be one of \"gaussian\", \"mixture\", \"product\"; got \(kind)")
        }
    }

    /// Reads and parses a target file.
    public static func load(path: String) throws(TargetError) -> any ExactTarget {
        let data: Data
        do { data = try InputFile.read(path) } catch {
            throw .io(path: path, reason: error.description)
        }
        return try parse(data)
    }

    /// A built-in name, or else a path to a JSON file.
    public static func resolve(_ nameOrPath: String) throws(TargetError) -> any ExactTarget {
        if let builtin = BuiltinTarget(rawValue: nameOrPath) { return builtin.make() }
        if FileManager.default.fileExists(atPath: nameOrPath) { return try load(path: nameOrPath) }
        throw .unknownTarget(nameOrPath, available: BuiltinTarget.allCases.map(\.rawValue))
    }

    /// Refuses the first key of `object` (in sorted order) that is not in `allowed`, naming its path.
    static func checkKeys(_ object: [String: Any], allowed: Set<String>, path: String) throws(TargetError) {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalidField(path: path + unknown, reason: "unknown field (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    static func number(_ value: Any?, path: String) throws(TargetError) -> Double {
        guard let value else { throw .missingField(path: path, expected: "a number") }
        // JSONSerialization turns true/false into NSNumber too (objCType "c"); refuse booleans.
        guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else {
            throw .invalidField(path: path, reason: "must be a number, got \(value)")
        }
        let x = n.doubleValue
        guard x.isFinite else { throw .invalidField(path: path, reason: "must be finite, got \(x)") }
        return x
    }

    static func array(_ value: Any?, path: String) throws(TargetError) -> [Any] {
        guard let value else { throw .missingField(path: path, expected: "an array") }
        guard let a = value as? [Any] else { throw .invalidField(path: path, reason: "must be an array") }
        return a
    }

    static func vector(_ value: Any?, path: String) throws(TargetError) -> [Double] {
        let a = try array(value, path: path)
        guard !a.isEmpty else { throw .invalidField(path: path, reason: "must have at least one entry") }
        var out: [Double] = []
        for (i, x) in a.enumerated() { out.append(try number(x, path: "\(path)[\(i)]")) }
        return out
    }

    static func covariance(_ value: Any?, path: String, dimension d: Int) throws(TargetError) -> Covariance {
        let allowed = "an object with exactly one of \"isotropic\" (number), \"diagonal\" (array), \"full\" (array of rows)"
        guard let value else { throw .missingField(path: path, expected: allowed) }
        guard let o = value as? [String: Any], o.count == 1, let (key, inner) = o.first else {
            throw .invalidField(path: path, reason: "must be \(allowed)")
        }
        switch key {
        case "isotropic": return .isotropic(try number(inner, path: path + ".isotropic"))
        case "diagonal": return .diagonal(try vector(inner, path: path + ".diagonal"))
        case "full":
            let rows = try array(inner, path: path + ".full")
            guard rows.count == d else {
                throw .invalidField(path: path + ".full", reason: "has \(rows.count) rows; expected \(d)")
            }
            var m = Matrix(rows: d, columns: d)
            for (i, r) in rows.enumerated() {
                let row = try vector(r, path: "\(path).full[\(i)]")
                guard row.count == d else {
                    throw .invalidField(path: "\(path).full[\(i)]", reason: "has \(row.count) entries; expected \(d)")
                }
                for j in 0..<d { m[i, j] = row[j] }
            }
            return .full(m)
        default:
            throw .invalidField(path: path + "." + key, reason: "unknown covariance kind; expected \(allowed)")
        }
    }
}
