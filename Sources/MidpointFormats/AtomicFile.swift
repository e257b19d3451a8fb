import CMidpointSignals
#if canImport(Glibc)
import Glibc
private let posixWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let posixWrite = Darwin.write
#endif
import Foundation

/// Writes files so that a reader, an interrupt or a full disk never sees a partial one: the bytes go to a
/// new temporary file in the same directory, are flushed to disk, and only then replace the target by an
/// atomic rename. A symbolic link at the path is written through (its target is replaced; the link stays).
///
/// A writer holds an exclusive `flock` on its temporary file until the rename. A process killed with
/// SIGKILL cannot remove its temporary file, but its lock dies with it: the next write of the same path
/// removes every unlocked `.NAME.XXXXXX` sibling (``removeAbandonedTemporaries(of:)``).
public enum AtomicFile {
    /// Checks, before any work, that `path` can be written: its directory exists and is writable and the
    /// path is not a directory. Symbolic links are followed; returns the path a write lands on.
    @discardableResult
    public static func checkWritable(_ path: String) throws(OutputFileError) -> String {
        let target = try resolve(path)
        let directory = directoryOf(target)
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .missingDirectory(path: path, directory: directory)
        }
        guard access(directory, W_OK | X_OK) == 0 else { throw .unwritableDirectory(path: path, directory: directory) }
        if stat(target, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG { throw .notAFile(path: path) }
        return target
    }

    /// Replaces the file at `path` (or creates it) with `bytes`, atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws(OutputFileError) {
        try write(to: path) { sink in bytes.withUnsafeBytes { sink.append($0) } }
    }

    /// Where a streamed write's bytes go: the temporary file. After the first failure further bytes are
    /// dropped and the write reports that failure.
    public final class Sink {
        let fd: Int32
        var failure: String?

        init(fd: Int32) { self.fd = fd }

        /// Appends `raw` to the file.
        public func append(_ raw: UnsafeRawBufferPointer) {
            var offset = 0
            while failure == nil, offset < raw.count {
                let n = posixWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
    }

    /// Replaces the file at `path` (or creates it) with the bytes `produce` appends to its sink, in order,
    /// atomically: a large output is streamed in pieces and never held whole a second time.
    public static func write(to path: String, _ produce: (Sink) -> Void) throws(OutputFileError) {
        let target = try checkWritable(path)
        let directory = directoryOf(target)
        let name = (target as NSString).lastPathComponent
        removeAbandonedTemporaries(of: target)
        var template = Array("\(directory)/.\(name).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .writeFailed(path: path, reason: String(cString: strerror(errno))) }
        // Held until the file is closed: a later writer removes only temporaries nobody holds.
        _ = flock(fd, LOCK_EX)
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // An interrupt from here to the rename removes the temporary file (and the existing output stays).
        mps_install_cleanup_handlers()
        template.withUnsafeBufferPointer { mps_set_pending_temporary($0.baseAddress!) }
        defer { mps_clear_pending_temporary() }
        let sink = Sink(fd: fd)
        produce(sink)
        var failure = sink.failure
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        // Readable like a file made by `open(…, 0666)` under the usual umask.
        if failure == nil { fchmod(fd, 0o644) }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temporary, target) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw .writeFailed(path: path, reason: failure)
        }
    }

    /// Writes `text` as UTF-8, atomically.
    public static func write(_ text: String, to path: String) throws(OutputFileError) {
        try write(Array(text.utf8), to: path)
    }

    /// Removes the temporary files of earlier writes of `target` whose writer is gone (killed before its
    /// rename or cleanup): siblings named `.NAME.XXXXXX` that no process holds locked.
    public static func removeAbandonedTemporaries(of target: String) {
        let directory = directoryOf(target)
        let prefix = "." + (target as NSString).lastPathComponent + "."
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where entry.hasPrefix(prefix) && entry.count == prefix.count + 6 {
            let path = directory + "/" + entry
            let fd = open(path, O_RDONLY | O_NOFOLLOW)
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { unlink(path) }
            close(fd)
        }
    }

    /// The path a write lands on: `path` with every symbolic link at its end followed.
    static func resolve(_ path: String) throws(OutputFileError) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { return current }
            let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : directoryOf(current) + "/" + link
        }
        throw .symlinkLoop(path: path)
    }

    static func directoryOf(_ path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }
}
