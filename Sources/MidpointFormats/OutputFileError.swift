/// Why an output file cannot be written. Messages name the path and what is wrong with it.
public enum OutputFileError: Error, Equatable, CustomStringConvertible {
    /// The directory that would hold the file does not exist (or is not a directory).
    case missingDirectory(path: String, directory: String)
    /// The directory that would hold the file is not writable.
    case unwritableDirectory(path: String, directory: String)
    /// The path names a directory (or another non-regular file) rather than a file.
    case notAFile(path: String)
    /// Writing or renaming failed (for example, a full disk); the existing file, if any, is unchanged.
    case writeFailed(path: String, reason: String)
    /// A chain of symbolic links at the path is too long or loops.
    case symlinkLoop(path: String)

    public var description: String {
        switch self {
        case let .missingDirectory(path, directory):
            "cannot write '\(path)': the directory '\(directory)' does not exist"
        case let .unwritableDirectory(path, directory):
            "cannot write '\(path)': the directory '\(directory)' is not writable"
        case let .notAFile(path): "cannot write '\(path)': it is a directory or another non-regular file"
        case let .writeFailed(path, reason): "writing '\(path)' failed (\(reason)); any existing file there is unchanged"
        case let .symlinkLoop(path): "cannot write '\(path)': its symbolic links loop or nest too deep"
        }
    }
}
