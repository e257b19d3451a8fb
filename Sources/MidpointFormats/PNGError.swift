/// Why a picture could not be written.
public enum PNGError: Error, Equatable, CustomStringConvertible {
    /// The file could not be written.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .io(path, reason): "cannot write '\(path)': \(reason)"
        }
    }
}
