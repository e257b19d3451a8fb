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
        _ = try regularFileSize(path, limit: limit)
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedFailureReason ?? "\(error)")
        }
    }

    /// The first `count` bytes of the regular file at `path` (fewer if it is shorter) and its size, after
    /// the same checks as ``read(_:limit:)`` — for reading a header before deciding to read the rest.
    public static func prefix(_ path: String, count: Int, limit: Int = 4 << 30) throws(InputFileError) -> (bytes: Data, size: Int) {
        let size = try regularFileSize(path, limit: limit)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        do { return (try handle.read(upToCount: count) ?? Data(), size) } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedFailureReason ?? "\(error)")
        }
    }

    /// The size of the regular file at `path`, refusing what is not one (a FIFO would block, a device might
    /// never end) and files over `limit` bytes.
    static func regularFileSize(_ path: String, limit: Int) throws(InputFileError) -> Int {
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
        return Int(info.st_size)
    }
}
