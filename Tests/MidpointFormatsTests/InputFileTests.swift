#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MidpointFormats
import Testing

@Suite struct InputFileTests {
    /// What the path names is said plainly, and nothing blocks on a FIFO or reads a device forever.
    @Test func namesWhatThePathIs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("input-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: InputFileError.directory(path: dir)) { try InputFile.read(dir) }
        #expect(throws: InputFileError.missing(path: dir + "/none.json")) { try InputFile.read(dir + "/none.json") }
        #expect(throws: InputFileError.notRegular(path: "/dev/zero", kind: "device")) { try InputFile.read("/dev/zero") }
        #expect(mkfifo(dir + "/fifo", 0o600) == 0)
        #expect(throws: InputFileError.notRegular(path: dir + "/fifo", kind: "FIFO")) { try InputFile.read(dir + "/fifo") }
        try "abc".write(toFile: dir + "/small", atomically: false, encoding: .utf8)
        #expect(try InputFile.read(dir + "/small") == Data("abc".utf8))
        #expect(throws: InputFileError.tooLarge(path: dir + "/small", bytes: 3, limit: 2)) { try InputFile.read(dir + "/small", limit: 2) }
    }
}
