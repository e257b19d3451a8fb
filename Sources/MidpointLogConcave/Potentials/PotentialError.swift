/// Why a potential could not be built or loaded.
public enum PotentialError: Error, Equatable, CustomStringConvertible {
    /// An unknown built-in name.
    case unknownPotential(String, available: [String])
    /// A parameter or data value outside what is allowed.
    case invalid(field: String, reason: String)
    /// A data file could not be read or parsed.
    case data(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownPotential(name, available):
            "unknown potential '\(name)': not a built-in (\(available.joined(separator: ", "))) nor a readable JSON file"
        case let .invalid(field, reason): "\(field) \(reason)"
        case let .data(path, reason): "cannot use '\(path)': \(reason)"
        }
    }
}
