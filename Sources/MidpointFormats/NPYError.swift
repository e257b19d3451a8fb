/// Why a `.npy` file could not be read or written. Each message names the bad value and what is allowed.
public enum NPYError: Error, Equatable, CustomStringConvertible {
    /// The file does not start with `\x93NUMPY`.
    case badMagic
    /// The file ends before the named part is complete.
    case truncated(String)
    /// A format version other than 1.0, 2.0 or 3.0.
    case unsupportedVersion(major: UInt8, minor: UInt8)
    /// The header dictionary could not be parsed.
    case malformedHeader(String)
    /// A dtype other than little-endian `f8` or `f4`.
    case unsupportedDType(String)
    /// Fortran (column-major) order, which Midpoint does not read.
    case fortranOrder
    /// The data section's size does not match the shape and dtype.
    case sizeMismatch(expectedBytes: Int, actualBytes: Int)
    /// Values and shape disagree when writing.
    case shapeMismatch(shape: [Int], count: Int)
    /// A read or write failed at the file-system level.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .badMagic: "not a .npy file: it does not start with the magic string \\x93NUMPY"
        case let .truncated(part): "truncated .npy file: it ends inside the \(part)"
        case let .unsupportedVersion(major, minor):
            "unsupported .npy format version \(major).\(minor) (allowed: 1.0, 2.0, 3.0)"
        case let .malformedHeader(why): "malformed .npy header: \(why)"
        case let .unsupportedDType(d):
            "unsupported .npy dtype '\(d)' (allowed: '<f8' float64 and '<f4' float32, little-endian)"
        case .fortranOrder:
            "the .npy array is in Fortran (column-major) order, which Midpoint does not read; save it with numpy.ascontiguousarray"
        case let .sizeMismatch(expected, actual):
            "the .npy data section has \(actual) bytes but the header's shape and dtype need \(expected)"
        case let .shapeMismatch(shape, count):
            "shape \(shape) holds \(shape.reduce(1, *)) values but \(count) were given"
        case let .io(path, reason): "cannot access '\(path)': \(reason)"
        }
    }
}
