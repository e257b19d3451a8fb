import MidpointFormats

/// Why a score network could not be loaded or built.
public enum NetworkError: Error, Equatable, CustomStringConvertible {
    /// The weights file could not be read or parsed.
    case file(SafeTensorsError)
    /// A required `__metadata__` key is absent.
    case missingMetadata(key: String)
    /// A metadata value is not one the format allows.
    case badMetadata(key: String, value: String, allowed: String)
    /// A parameter tensor is absent.
    case missingParameter(String)
    /// A parameter tensor has the wrong shape for the architecture.
    case parameterShape(name: String, shape: [Int], expected: [Int])
    /// A parameter tensor holds NaN or ±∞.
    case nonFiniteParameter(String)
    /// The file holds tensors the architecture does not use (a different network).
    case unexpectedParameters([String])
    /// A dataset file could not be read or does not fit the model.
    case data(path: String, reason: String)
    /// No shipped model has this name.
    case unknownModel(String, available: [String])

    public var description: String {
        switch self {
        case let .file(error): error.description
        case let .missingMetadata(key): "score network file: metadata key '\(key)' is missing"
        case let .badMetadata(key, value, allowed): "score network file: metadata '\(key)' is '\(value)'; allowed: \(allowed)"
        case let .missingParameter(name): "score network file: parameter '\(name)' is missing"
        case let .parameterShape(name, shape, expected):
            "score network file: parameter '\(name)' has shape \(shape), the architecture needs \(expected)"
        case let .nonFiniteParameter(name): "score network file: parameter '\(name)' holds NaN or infinite values"
        case let .unexpectedParameters(names):
            "score network file: tensors \(names.sorted()) are not part of the architecture in its metadata"
        case let .data(path, reason): "data file '\(path)': \(reason)"
        case let .unknownModel(name, available):
            "unknown model '\(name)': not a shipped model (\(available.joined(separator: ", "))) nor a .safetensors file"
        }
    }
}
