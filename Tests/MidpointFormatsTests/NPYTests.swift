import Foundation
import MidpointFormats
import Testing

/// Fixtures are written by NumPy (`scripts/make_npy_fixtures.py`).
func fixture(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "npy", subdirectory: "Fixtures"))
    return [UInt8](try Data(contentsOf: url))
}

@Suite struct NPYTests {
    let expected2D = (0..<12).map { Double($0) / 7 - 0.5 }

    @Test(arguments: ["f8_2d", "v2_f8_2d", "v3_f8_2d"])
    func readsNumPyFloat64(name: String) throws {
        let a = try NPY.decode(try fixture(name))
        #expect(a.shape == [3, 4])
        #expect(a.dtype == .float64)
        #expect(a.values == expected2D)
    }

    @Test func readsFloat32ScalarAndEmpty() throws {
        let f = try NPY.decode(try fixture("f4_1d"))
        #expect(f.shape == [5] && f.dtype == .float32)
        #expect(f.values == [-1, -0.75, -0.5, -0.25, 0])
        let s = try NPY.decode(try fixture("scalar_f8"))
        #expect(s.shape == [] && s.values == [3.5])
        let e = try NPY.decode(try fixture("empty_f8"))
        #expect(e.shape == [0, 3] && e.values.isEmpty)
    }

    /// Our encoder writes byte-for-byte what NumPy writes (same header text, padding and data).
    @Test func encodesExactlyAsNumPy() throws {
        let ours = NPY.encode(try NPYArray(shape: [3, 4], values: expected2D))
        #expect(ours == (try fixture("f8_2d")))
        let f32 = NPY.encode(try NPYArray(shape: [5], values: [-1, -0.75, -0.5, -0.25, 0], dtype: .float32))
        #expect(f32 == (try fixture("f4_1d")))
        #expect(NPY.encode(try NPYArray(shape: [], values: [3.5])) == (try fixture("scalar_f8")))
    }

    @Test func roundTripsThroughFiles() throws {
        let values = (0..<30).map { sin(Double($0)) * 1e10 }
        let a = try NPYArray(shape: [2, 3, 5], values: values)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("midpoint-\(UUID()).npy").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NPY.write(a, to: path)
        #expect(try NPY.read(contentsOf: path) == a)
    }

    @Test func refusesFortranOrderBigEndianAndIntegers() throws {
        #expect(throws: NPYError.fortranOrder) { try NPY.decode(try fixture("fortran_f8_2d")) }
        #expect(throws: NPYError.unsupportedDType(">f8")) { try NPY.decode(try fixture("bigendian_f8_2d")) }
        #expect(throws: NPYError.unsupportedDType("<i8")) { try NPY.decode(try fixture("int64_1d")) }
    }

    @Test func malformedFilesGiveClearErrors() throws {
        let good = try fixture("f8_2d")
        #expect(throws: NPYError.badMagic) { try NPY.decode([0x89] + good.dropFirst()) }
        #expect(throws: NPYError.badMagic) { try NPY.decode(Array("hello".utf8)) }
        #expect(throws: NPYError.truncated("preamble")) { try NPY.decode(Array(good.prefix(7))) }
        #expect(throws: NPYError.truncated("header")) { try NPY.decode(Array(good.prefix(40))) }
        #expect(throws: NPYError.sizeMismatch(expectedBytes: 96, actualBytes: 95)) { try NPY.decode(Array(good.dropLast())) }
        #expect(throws: NPYError.sizeMismatch(expectedBytes: 96, actualBytes: 104)) { try NPY.decode(good + [UInt8](repeating: 0, count: 8)) }
        var version = good
        version[6] = 4
        #expect(throws: NPYError.unsupportedVersion(major: 4, minor: 0)) { try NPY.decode(version) }
        // A header whose shape is not a tuple, and one with a huge shape.
        func replacing(_ old: String, with new: String) -> [UInt8] {
            let (o, n) = (Array(old.utf8), Array(new.utf8))
            let at = (0...(good.count - o.count)).first { Array(good[$0..<($0 + o.count)]) == o }!
            return Array(good[..<at]) + n + Array(good[(at + o.count)...])
        }
        #expect(throws: NPYError.malformedHeader("'shape' must be a tuple, got '[3, 4]'")) {
            try NPY.decode(replacing("(3, 4)", with: "[3, 4]"))
        }
        #expect(throws: NPYError.malformedHeader("shape [9999999999, 9999999999] is too large to hold in memory")) {
            try NPY.decode(replacing("(3, 4)", with: "(9999999999, 9999999999)"))
        }
        #expect(throws: NPYError.malformedHeader("missing key 'shape'")) { try NPY.decode(replacing("'shape'", with: "'shape_'")) }
        #expect(throws: NPYError.malformedHeader("'fortran_order' must be True or False, got 'Nope'")) {
            try NPY.decode(replacing("False", with: "Nope"))
        }
        #expect(throws: NPYError.shapeMismatch(shape: [2, 2], count: 3)) { try NPYArray(shape: [2, 2], values: [1, 2, 3]) }
    }

    @Test func errorMessagesNameTheProblem() {
        #expect(NPYError.fortranOrder.description
            == "the .npy array is in Fortran (column-major) order, which Midpoint does not read; save it with numpy.ascontiguousarray")
        #expect(NPYError.unsupportedDType(">f8").description
            == "unsupported .npy dtype '>f8' (allowed: '<f8' float64 and '<f4' float32, little-endian)")
        #expect(NPYError.sizeMismatch(expectedBytes: 96, actualBytes: 95).description
            == "the .npy data section has 95 bytes but the header's shape and dtype need 96")
        #expect(NPYError.badMagic.description == "not a .npy file: it does not start with the magic string \\x93NUMPY")
        #expect(NPYError.unsupportedVersion(major: 4, minor: 0).description
            == "unsupported .npy format version 4.0 (allowed: 1.0, 2.0, 3.0)")
        #expect(NPYError.shapeMismatch(shape: [2, 3], count: 5).description == "shape [2, 3] holds 6 values but 5 were given")
    }
}
