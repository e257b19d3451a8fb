import Foundation
import MidpointFormats
import Testing

@Suite struct AtomicFileTests {
    func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A write replaces the whole file and leaves no temporary file behind.
    @Test func replacesAndCleansUp() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out.csv"
        try AtomicFile.write("a long first version\n", to: path)
        try AtomicFile.write("second\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.csv"])
    }

    /// A temporary file left by a killed writer (unlocked) is removed by the next write of the same path; one
    /// a live writer holds locked is left alone, and so are other files.
    @Test func removesAbandonedTemporaries() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out.npy"
        let abandoned = dir + "/.out.npy.AbCdEf", live = dir + "/.out.npy.GhIjKl", other = dir + "/.other.npy.MnOpQr"
        for p in [abandoned, live, other] { try Data(count: 4096).write(to: URL(fileURLWithPath: p)) }
        // A live writer's lock: another open file description of the same file, locked as AtomicFile locks.
        let fd = open(live, O_RDWR)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        defer { close(fd) }
        try AtomicFile.write("new\n", to: path)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        #expect(left == ["out.npy", ".out.npy.GhIjKl", ".other.npy.MnOpQr"])
    }

    /// A symbolic link at the path is written through: the link stays, its target gets the bytes.
    @Test func writesThroughSymlinks() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        try "old".write(toFile: dir + "/real/target.npy", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.npy", withDestinationPath: "real/target.npy")
        try AtomicFile.write([1, 2, 3], to: dir + "/link.npy")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.npy") == "real/target.npy")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/real/target.npy")) == Data([1, 2, 3]))
    }

    /// Bad paths are refused before any bytes are written, naming the path and the problem; a failed
    /// write leaves the existing file as it was.
    @Test func refusesBadPathsAndKeepsExistingFiles() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: OutputFileError.missingDirectory(path: dir + "/nope/x.npy", directory: dir + "/nope")) {
            try AtomicFile.checkWritable(dir + "/nope/x.npy")
        }
        #expect(throws: OutputFileError.notAFile(path: dir)) { try AtomicFile.checkWritable(dir) }
        try "keep".write(toFile: dir + "/file", atomically: false, encoding: .utf8)
        // A path through a regular file: the directory does not exist as a directory.
        #expect(throws: OutputFileError.self) { try AtomicFile.write("x", to: dir + "/file/sub.csv") }
        #expect(try String(contentsOfFile: dir + "/file", encoding: .utf8) == "keep")
        try FileManager.default.createSymbolicLink(atPath: dir + "/loop", withDestinationPath: "loop")
        #expect(throws: OutputFileError.symlinkLoop(path: dir + "/loop")) { try AtomicFile.checkWritable(dir + "/loop") }
    }
}
