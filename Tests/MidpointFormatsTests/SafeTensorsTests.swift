import Foundation
import MidpointFormats
import Testing

/// The `.safetensors` reader: a file written by the official library, hand-built edge cases, malformed
/// files that must be refused with a message naming the problem, and random mutations that must never crash.
@Suite struct SafeTensorsTests {
    static func fixture() throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "reference", withExtension: "safetensors", subdirectory: "Fixtures"))
        return [UInt8](try Data(contentsOf: url))
    }

    /// A file from a JSON header and a data section.
    static func file(_ header: String, _ data: [UInt8]) -> [UInt8] {
        let h = [UInt8](header.utf8)
        var out = [UInt8]()
        for k in 0..<8 { out.append(UInt8((UInt64(h.count) >> (8 * UInt64(k))) & 0xFF)) }
        return out + h + data
    }

    @Test func readsTheReferenceLibrarysFile() throws {
        let st = try SafeTensors.decode(Self.fixture())
        #expect(st.metadata == ["architecture": "mlp", "width": "256"])
        let w = try st.tensor("weight")
        #expect(w.dtype == "F64" && w.shape == [3, 4] && w.values == (0..<12).map { Double($0) / 8 - 0.5 })
        let b = try st.tensor("bias")
        #expect(b.dtype == "F32" && b.values == [1.5, -2.25, Double(Float(3.0e-8)), 65504])
        let h = try st.tensor("half")
        #expect(h.shape == [3, 2])
        #expect(h.values == [0.5, -1, 6.097555160522461e-05, 5.960464477539063e-08, 65504, -0.0])
        #expect(h.values[5].sign == .minus)
        #expect(try st.tensor("scalar").shape == [] && st.tensor("scalar").values == [3.25])
        #expect(try st.tensor("empty").shape == [0, 3] && st.tensor("empty").values.isEmpty)
    }

    /// BF16 is the top half of a float32: 0x3FC0 is 1.5, 0xC020 is -2.5; F16 subnormals, infinities.
    @Test func readsBF16AndHalfEdgeCases() throws {
        let bytes = Self.file("{\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[4,10]}}",
                              [0xC0, 0x3F, 0x20, 0xC0, 0x01, 0x00, 0x00, 0x7C, 0x00, 0xFC])
        let st = try SafeTensors.decode(bytes)
        #expect(try st.tensor("b").values == [1.5, -2.5])
        #expect(try st.tensor("h").values == [0x1p-24, .infinity, -.infinity])
        #expect(st.metadata.isEmpty)
    }

    @Test func malformedFilesAreRefusedWithAReason() {
        let ok = "\"dtype\":\"F32\",\"shape\":[2]"
        let cases: [([UInt8], String)] = [
            ([1, 2, 3], "8-byte header length"),
            (Self.file("{}", []).prefix(8) + [], "header"),
            ([UInt8](Self.file("{\"a\":{\(ok),\"data_offsets\":[0,8]}}", [UInt8](repeating: 0, count: 8)).dropLast(9)), "header"),
            (Self.file("{\"a\": [", []), "not valid JSON"),
            (Self.file("[1, 2]", []), "not a JSON object"),
            (Self.file("{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", [UInt8](repeating: 0, count: 8)), "unsupported dtype 'I64'"),
            (Self.file("{\"a\":{\(ok),\"data_offsets\":[0,4]}}", [UInt8](repeating: 0, count: 4)), "needs 2 × 4 bytes"),
            (Self.file("{\"a\":{\(ok),\"data_offsets\":[0,16]}}", [UInt8](repeating: 0, count: 8)), "begin ≤ end ≤ 8"),
            (Self.file("{\"a\":{\(ok),\"data_offsets\":[8,0]}}", [UInt8](repeating: 0, count: 8)), "begin ≤ end"),
            (Self.file("{\"a\":{\(ok),\"data_offsets\":[0,8]},\"b\":{\(ok),\"data_offsets\":[4,12]}}", [UInt8](repeating: 0, count: 12)), "overlaps"),
            (Self.file("{\"a\":{\(ok),\"data_offsets\":[0,8]},\"b\":{\(ok),\"data_offsets\":[12,20]}}", [UInt8](repeating: 0, count: 20)), "belong to no tensor"),
            (Self.file("{\"a\":{\(ok),\"data_offsets\":[0,8]}}", [UInt8](repeating: 0, count: 12)), "at the end belong to no tensor"),
            (Self.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", []), "non-negative integers"),
            (Self.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}", []), "overflows"),
            (Self.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", []), "data_offsets"),
            (Self.file("{\"__metadata__\":{\"k\":3}}", []), "must be a string"),
        ]
        for (bytes, needle) in cases {
            let outcome: Result<SafeTensors, SafeTensorsError>
            do { outcome = .success(try SafeTensors.decode(bytes)) } catch { outcome = .failure(error) }
            guard case let .failure(error) = outcome else { Issue.record("accepted a file that should fail with '\(needle)'"); continue }
            #expect(error.description.contains(needle), "\(error)")
        }
    }

    /// 3,000 random mutations of the reference file (byte flips, truncations, insertions, header-length
    /// edits) must each either parse or throw — never crash. SplitMix64 with a fixed seed makes it
    /// deterministic.
    @Test func randomMutationsNeverCrash() throws {
        let original = try Self.fixture()
        var state: UInt64 = 0x5EED
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var parsed = 0, refused = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<(1 + Int(next() % 4)) {
                switch next() % 4 {
                case 0: bytes[Int(next() % UInt64(bytes.count))] = UInt8(next() & 0xFF)
                case 1: bytes = Array(bytes.prefix(Int(next() % UInt64(bytes.count + 1))))
                case 2: bytes.insert(UInt8(next() & 0xFF), at: Int(next() % UInt64(bytes.count + 1)))
                default: if bytes.count >= 8 { bytes[Int(next() % 8)] = UInt8(next() & 0xFF) }
                }
                if bytes.isEmpty { bytes = [0] }
            }
            do { _ = try SafeTensors.decode(bytes); parsed += 1 } catch { refused += 1 }
        }
        #expect(parsed + refused == 3000 && refused > 1000)
    }
}
