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
    /// edits) must each either throw a ``SafeTensorsError`` or parse into tensors that are consistent
    /// with the bytes: every tensor is found by name, has a supported dtype and exactly
    /// `product(shape)` values, and the tensors' byte sizes add up to the data section the mutant's own
    /// length field leaves (no overlaps, no holes). A tensor whose bytes the mutation did not touch is
    /// read exactly as in the original. SplitMix64 with a fixed seed makes it deterministic.
    @Test func randomMutationsAreRefusedOrReadConsistently() throws {
        let original = try Self.fixture()
        let reference = try SafeTensors.decode(original)
        // The original's header length and each tensor's data offset, read from its JSON header here.
        var originalHeaderLength: UInt64 = 0
        for k in 0..<8 { originalHeaderLength |= UInt64(original[k]) << (8 * UInt64(k)) }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(original[8..<(8 + Int(originalHeaderLength))])) as? [String: Any])
        var offsets: [String: Int] = [:]
        for (name, entry) in json where name != "__metadata__" {
            let range = try #require((entry as? [String: Any])?["data_offsets"] as? [Int])
            offsets[name] = range[0]
        }
        var dataOnlyMutants = 0, unchangedElements = 0
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
            let st: SafeTensors
            do { st = try SafeTensors.decode(bytes) } catch {
                refused += 1
                #expect(!error.description.isEmpty)
                continue
            }
            parsed += 1
            var n: UInt64 = 0
            for k in 0..<8 { n |= UInt64(bytes[k]) << (8 * UInt64(k)) }
            let dataBytes = bytes.count - 8 - Int(n)
            let headerIntact = n == originalHeaderLength && bytes.count == original.count
                && bytes[0..<(8 + Int(n))] == original[0..<(8 + Int(n))]
            if headerIntact { dataOnlyMutants += 1 }
            var total = 0
            for (name, t) in st.tensors {
                let read = try st.tensor(name)
                #expect(read == t)
                let size = try #require(Self.elementBytes[t.dtype], "dtype \(t.dtype)")
                // product(shape), refusing to trap if a wrong parse let an overflowing shape through.
                let product = t.shape.reduce((1, false)) { acc, s in
                    let (p, o) = acc.0.multipliedReportingOverflow(by: s)
                    return (p, acc.1 || o)
                }
                try #require(!product.1, "\(name): shape \(t.shape) overflows")
                let count = product.0
                #expect(t.values.count == count, "\(name): shape \(t.shape), \(t.values.count) values")
                total += t.values.count * size
                // Header untouched (so only data bytes were flipped): the header fixes names, dtypes and
                // shapes, and every element whose bytes are unchanged reads exactly as before (bit
                // patterns, so NaN-safe), wherever the flips landed.
                if headerIntact {
                    let o = try #require(reference.tensors[name], "tensor '\(name)' not in the original")
                    #expect(t.dtype == o.dtype && t.shape == o.shape)
                    let begin = 8 + Int(originalHeaderLength) + (try #require(offsets[name]))
                    for k in 0..<min(count, o.values.count) {
                        let range = (begin + k * size)..<(begin + (k + 1) * size)
                        if bytes[range] == original[range] {
                            #expect(t.values[k].bitPattern == o.values[k].bitPattern, "\(name)[\(k)]")
                            unchangedElements += 1
                        }
                    }
                }
            }
            #expect(total == dataBytes, "tensors cover \(total) of \(dataBytes) data bytes")
        }
        // Every branch was exercised (measured: 56 parse, 51 of them with only data bytes changed, whose
        // 1,122 untouched elements were compared; 2,944 are refused).
        #expect(parsed > 0 && refused > 0 && dataOnlyMutants > 0 && unchangedElements > 0,
                "parsed \(parsed) (data-only \(dataOnlyMutants)), refused \(refused)")
    }

    /// Bytes per element of the dtypes the reader supports (the format's table).
    static let elementBytes = ["F64": 8, "F32": 4, "F16": 2, "BF16": 2]
}
