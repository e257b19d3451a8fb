import Foundation

extension ModelCard {
    /// Parses a card, validating every field (errors name the JSON path and what is allowed).
    public static func parse(_ data: Data) throws(ModelCardError) -> ModelCard {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw .invalidJSON((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)")
        }
        guard let object = root as? [String: Any] else { throw .invalidField(path: "$", reason: "the top level must be a JSON object") }
        try checkKeys(object, ["name", "description", "prediction", "time", "sample_shape", "dtype", "tensors", "data_range", "class_input"], path: "")
        let name = try string(object["name"], path: "name", expected: "the model's name")
        if let d = object["description"], !(d is String) { throw .invalidField(path: "description", reason: "must be a string") }
        let predictionText = try string(object["prediction"], path: "prediction",
                                        expected: "one of \(Prediction.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
        guard let prediction = Prediction(rawValue: predictionText) else {
            throw .invalidField(path: "prediction", reason: "must be one of \(Prediction.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(predictionText)\"")
        }
        guard let timeObject = object["time"] else {
            throw .missingField(path: "time", expected: "an object with \"kind\": \"ddpm_index\", \"sigma\", \"ou_time\" or \"log_snr\"")
        }
        guard let t = timeObject as? [String: Any] else { throw .invalidField(path: "time", reason: "must be an object") }
        let kind = try string(t["kind"], path: "time.kind", expected: "\"ddpm_index\", \"sigma\", \"ou_time\" or \"log_snr\"")
        let time: TimeInput
        switch kind {
        case "ddpm_index":
            try checkKeys(t, ["kind", "steps", "beta_start", "beta_end"], path: "time.")
            let steps = try number(t["steps"] ?? 1000, path: "time.steps")
            guard steps == steps.rounded(), (2...100_000).contains(steps) else {
                throw .invalidField(path: "time.steps", reason: "must be an integer in 2...100000, got \(steps)")
            }
            let start = try number(t["beta_start"] ?? 1e-4, path: "time.beta_start")
            let end = try number(t["beta_end"] ?? 0.02, path: "time.beta_end")
            guard start > 0, end >= start, end < 1 else {
                throw .invalidField(path: "time.beta_end", reason: "need 0 < beta_start ≤ beta_end < 1, got \(start) and \(end)")
            }
            time = .ddpmIndex(steps: Int(steps), betaStart: start, betaEnd: end)
        case "sigma": try checkKeys(t, ["kind"], path: "time."); time = .sigma
        case "ou_time": try checkKeys(t, ["kind"], path: "time."); time = .ouTime
        case "log_snr": try checkKeys(t, ["kind"], path: "time."); time = .logSNR
        default:
            throw .invalidField(path: "time.kind", reason: "must be \"ddpm_index\", \"sigma\", \"ou_time\" or \"log_snr\", got \"\(kind)\"")
        }
        if prediction == .v, time == .sigma {
            throw .invalidField(path: "prediction", reason: "\"v\" is defined for variance-preserving models; a \"sigma\" (EDM) model predicts \"x0\" or \"epsilon\"")
        }
        guard let shapeValue = object["sample_shape"] else { throw .missingField(path: "sample_shape", expected: "an array of positive integers, e.g. [1, 8, 8]") }
        guard let shapeArray = shapeValue as? [Any], !shapeArray.isEmpty, shapeArray.count <= 8 else {
            throw .invalidField(path: "sample_shape", reason: "must be an array of 1 to 8 positive integers")
        }
        var shape: [Int] = []
        for (i, v) in shapeArray.enumerated() {
            let n = try number(v, path: "sample_shape[\(i)]")
            guard n == n.rounded(), n >= 1, n <= 1_000_000 else { throw .invalidField(path: "sample_shape[\(i)]", reason: "must be an integer in 1...1000000, got \(n)") }
            shape.append(Int(n))
        }
        guard shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).partialValue }) <= 100_000_000 else {
            throw .invalidField(path: "sample_shape", reason: "a sample of \(shape) is over 10⁸ values")
        }
        let dtype = try string(object["dtype"] ?? "FP32", path: "dtype", expected: "\"FP32\" or \"FP64\"")
        guard dtype == "FP32" || dtype == "FP64" else { throw .invalidField(path: "dtype", reason: "must be \"FP32\" or \"FP64\", got \"\(dtype)\"") }
        var names = ("sample", "timestep", "output")
        if let tensors = object["tensors"] {
            guard let t = tensors as? [String: Any] else { throw .invalidField(path: "tensors", reason: "must be an object") }
            try checkKeys(t, ["sample", "time", "output"], path: "tensors.")
            names = (try string(t["sample"] ?? names.0, path: "tensors.sample", expected: "a tensor name"),
                     try string(t["time"] ?? names.1, path: "tensors.time", expected: "a tensor name"),
                     try string(t["output"] ?? names.2, path: "tensors.output", expected: "a tensor name"))
        }
        var range: ClosedRange<Double>?
        if let r = object["data_range"] {
            guard let pair = r as? [Any], pair.count == 2 else { throw .invalidField(path: "data_range", reason: "must be [low, high]") }
            let (lo, hi) = (try number(pair[0], path: "data_range[0]"), try number(pair[1], path: "data_range[1]"))
            guard lo < hi else { throw .invalidField(path: "data_range", reason: "needs low < high, got [\(lo), \(hi)]") }
            range = lo...hi
        }
        let classInput = try object["class_input"].map { (v: Any) throws(ModelCardError) in try parseClassInput(v) }
        if let classInput, [names.0, names.1, names.2].contains(classInput.tensor) {
            throw .invalidField(path: "class_input.name", reason: "\"\(classInput.tensor)\" is already the sample, time or output tensor")
        }
        return ModelCard(name: name, prediction: prediction, time: time, sampleShape: shape, dtype: dtype,
                         sampleTensor: names.0, timeTensor: names.1, outputTensor: names.2, dataRange: range,
                         classInput: classInput)
    }

    static func checkKeys(_ object: [String: Any], _ allowed: [String], path: String) throws(ModelCardError) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw .unknownField(path: path + key, allowed: allowed)
        }
    }

    static func string(_ value: Any?, path: String, expected: String) throws(ModelCardError) -> String {
        guard let value else { throw .missingField(path: path, expected: expected) }
        guard let s = value as? String, !s.isEmpty else { throw .invalidField(path: path, reason: "must be a non-empty string (\(expected))") }
        return s
    }

    static func number(_ value: Any?, path: String) throws(ModelCardError) -> Double {
        guard let value else { throw .missingField(path: path, expected: "a number") }
        // JSONSerialization turns true/false into NSNumber too (objCType "c"); refuse booleans.
        guard let n = value as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite else {
            throw .invalidField(path: path, reason: "must be a finite number, got \(value)")
        }
        return n.doubleValue
    }
}
