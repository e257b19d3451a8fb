/// Why an input file cannot be read. Messages name the path and what it is instead of a readable file.
public enum InputFileError: Error, Equatable, CustomStringConvertible {
    /// Nothing exists at the path.
    case missing(path: String)
    /// The path names a directory.
    case directory(path: String)
    /// The path names a FIFO, socket or device, which could block or never end.
    case notRegular(path: String, kind: String)
    /// The file is larger than the reader accepts.
    case tooLarge(path: String, bytes: Int, limit: Int)
    /// Reading failed.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .missing(path): "'\(path)' does not exist"
        case let .directory(path): "'\(path)' is a directory, not a file"
        case let .notRegular(path, kind): "'\(path)' is a \(kind), not a regular file"
        case let .tooLarge(path, bytes, limit): "'\(path)' is \(bytes) bytes, more than the \(limit) this reader accepts"
        case let .unreadable(path, reason): "cannot read '\(path)': \(reason)"
        }
    }
}
