/// Why a model card was refused: the JSON path of the offending field and what is allowed.
public enum ModelCardError: Error, Equatable, CustomStringConvertible {
    /// Not JSON.
    case invalidJSON(String)
    /// A required field is absent.
    case missingField(path: String, expected: String)
    /// A field has the wrong type or value.
    case invalidField(path: String, reason: String)
    /// A field the format does not define.
    case unknownField(path: String, allowed: [String])

    public var description: String {
        switch self {
        case let .invalidJSON(reason): "the model card is not valid JSON: \(reason)"
        case let .missingField(path, expected): "model card field '\(path)' is missing: expected \(expected)"
        case let .invalidField(path, reason): "model card field '\(path)': \(reason)"
        case let .unknownField(path, allowed): "model card field '\(path)' is not part of the format (allowed here: \(allowed.joined(separator: ", ")))"
        }
    }
}
