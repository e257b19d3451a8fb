#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads whole input files after checking what the path names: a directory, FIFO or device gets a
/// message that says so (a FIFO would block, a device might never end) instead of a system error code.
public enum InputFile {
    /// The bytes of the regular file at `path` (symbolic links followed), at most `limit` bytes.
    public static func read(_ path: String, limit: Int = 4 << 30) throws(InputFileError) -> Data {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .missing(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .directory(path: path)
        case S_IFIFO: throw .notRegular(path: path, kind: "FIFO")
        case S_IFSOCK: throw .notRegular(path: path, kind: "socket")
        case S_IFCHR, S_IFBLK: throw .notRegular(path: path, kind: "device")
        default: throw .notRegular(path: path, kind: "special file")
        }
        guard Int(info.st_size) <= limit else { throw .tooLarge(path: path, bytes: Int(info.st_size), limit: limit) }
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedFailureReason ?? "\(error)")
        }
    }
}
