/// Why a target could not be built or loaded. Messages name the field (as a JSON path such as
/// `components[2].covariance.diagonal[5]`) and the values allowed.
public enum TargetError: Error, Equatable, CustomStringConvertible {
    /// A field has a bad value.
    case invalidField(path: String, reason: String)
    /// A required field is absent.
    case missingField(path: String, expected: String)
    /// The file is not valid JSON.
    case invalidJSON(String)
    /// No built-in target has this name (and no such file exists).
    case unknownTarget(String, available: [String])
    /// The file could not be read.
    case io(path: String, reason: String)
    /// A linear-algebra failure while preparing a component (e.g. a covariance not positive definite).
    case linearAlgebra(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidField(path, reason): "target field '\(path)': \(reason)"
        case let .missingField(path, expected): "target field '\(path)' is missing: expected \(expected)"
        case let .invalidJSON(why): "target file is not valid JSON: \(why)"
        case let .unknownTarget(name, available):
            "unknown target '\(name)': not a built-in (\(available.joined(separator: ", "))) and not a readable .json file"
        case let .io(path, reason): "cannot read target file '\(path)': \(reason)"
        case let .linearAlgebra(path, reason): "target field '\(path)': \(reason)"
        }
    }
}
