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
        // A header read makes the same checks: `evaluate` reads a .npy header first, and a FIFO there hung it.
        #expect(throws: InputFileError.notRegular(path: dir + "/fifo", kind: "FIFO")) { try InputFile.prefix(dir + "/fifo", count: 8) }
        let (head, size) = try InputFile.prefix(dir + "/small", count: 2)
        #expect(head == Data("ab".utf8) && size == 3)
        #expect(throws: NPYError.self) { try NPY.shape(contentsOf: dir + "/fifo") }
    }
}
