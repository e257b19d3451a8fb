import Foundation
import MidpointFormats
import Testing

/// The IDX reader: shape and values of a well-formed file (plain bytes; zlib's gzread reads gzip and plain
/// files alike), and a clear error for each malformed header.
@Suite struct IDXTests {
    func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UUID()).idx").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func readsShapeAndValues() throws {
        let path = try write([0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3] + Array(0..<12))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (shape, values) = try IDX.read(contentsOf: path)
        #expect(shape == [2, 2, 3] && values == Array(0..<12))
    }

    @Test func malformedFilesGiveClearErrors() throws {
        let cases: [([UInt8], String)] = [
            ([0, 0], "shorter than its 4-byte magic"),
            ([1, 0, 0x08, 1, 0, 0, 0, 1, 5], "the magic does not start with two zero bytes"),
            ([0, 0, 0x0D, 1, 0, 0, 0, 1, 5], "type byte 0xd, only 0x08 (unsigned bytes) is read"),
            ([0, 0, 0x08, 0], "0 dimensions"),
            ([0, 0, 0x08, 1, 0, 0, 0, 4, 1, 2], "fewer values than its shape [4] says"),
            ([0, 0, 0x08, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], "holds more than"),
        ]
        for (bytes, needle) in cases {
            let path = try write(bytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect { try IDX.read(contentsOf: path) } throws: { error in "\(error)".contains(needle) }
        }
        #expect(throws: IDX.Failure.unreadable(path: "/nonexistent/x.idx")) { try IDX.read(contentsOf: "/nonexistent/x.idx") }
    }
}
