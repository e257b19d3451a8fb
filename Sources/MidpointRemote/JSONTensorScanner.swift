import Foundation

/// Reads the numeric `"data"` arrays of a JSON inference answer fast, leaving the rest to `JSONDecoder`.
///
/// Foundation's `JSONSerialization` takes ~1.4 µs per number on Linux (and rounded some doubles in a test
/// here), `JSONDecoder` ~0.35 µs; an answer of 4,096 × 64 values then costs the client more than the
/// server. This scanner parses each `"data": [ … ]` array with `strtod` (exact, C locale), strictly:
/// numbers separated by commas and optional whitespace up to the closing bracket. The answer with those
/// arrays emptied is then decoded by `JSONDecoder`, which checks the structure (tensor names, datatypes)
/// — if the scan met anything unexpected, the caller decodes the whole answer that way instead.
struct JSONTensorScanner {
    /// The numbers of each `"data"` array in order, and the answer with those arrays emptied; nil when
    /// the answer does not have the expected layout.
    static func scan(_ body: Data) -> (arrays: [[Double]], stripped: Data)? {
        let key = Array("\"data\"".utf8)
        return body.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> ([[Double]], Data)? in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else { return nil }
            let n = raw.count
            // strtod needs a terminator: the body ends with "}" in any valid answer, so no number can run
            // past the end unless the body is malformed; a copy with a NUL guards that case.
            var arrays: [[Double]] = []
            var stripped = Data()
            stripped.reserveCapacity(min(n, 1 << 16))
            var copied = 0, i = 0
            func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }
            while i + key.count < n {
                guard base[i] == key[0], memcmp(base + i, key, key.count) == 0 else { i += 1; continue }
                var j = i + key.count
                while j < n, isSpace(base[j]) { j += 1 }
                guard j < n, base[j] == UInt8(ascii: ":") else { i += 1; continue }
                j += 1
                while j < n, isSpace(base[j]) { j += 1 }
                guard j < n, base[j] == UInt8(ascii: "[") else { i += 1; continue }
                let open = j
                j += 1
                var values: [Double] = []
                var closed = false
                while j < n {
                    while j < n, isSpace(base[j]) { j += 1 }
                    guard j < n else { break }
                    if base[j] == UInt8(ascii: "]"), values.isEmpty { closed = true; break }
                    guard let (value, next) = number(base, from: j, count: n) else { return nil }
                    values.append(value)
                    j = next
                    while j < n, isSpace(base[j]) { j += 1 }
                    guard j < n else { break }
                    if base[j] == UInt8(ascii: ",") { j += 1; continue }
                    if base[j] == UInt8(ascii: "]") { closed = true; break }
                    return nil
                }
                guard closed else { return nil }
                arrays.append(values)
                stripped.append(base + copied, count: open + 1 - copied)
                copied = j  // the closing bracket stays
                i = j
            }
            stripped.append(base + copied, count: n - copied)
            return (arrays, stripped)
        }
    }

    /// One JSON number starting at `start`: its value and the index after it.
    static func number(_ base: UnsafePointer<UInt8>, from start: Int, count n: Int) -> (Double, Int)? {
        // A JSON number is at most a few dozen characters; copy it so strtod never reads past the body.
        var end = start
        while end < n, end - start < 64 {
            let c = base[end]
            guard (c >= 48 && c <= 57) || c == 45 || c == 43 || c == 46 || c == 101 || c == 69 || c == 78 || c == 97
                    || c == 73 || c == 110 || c == 102 || c == 105 || c == 116 || c == 121 else { break }
            end += 1
        }
        guard end > start, end - start < 64 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 65) { buffer -> (Double, Int)? in
            guard let p = buffer.baseAddress else { return nil }
            for k in 0..<(end - start) { p[k] = CChar(bitPattern: base[start + k]) }
            p[end - start] = 0
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtod(p, &stop)
            guard let stop, stop - p == end - start else { return nil }
            return (value, end)
        }
    }
}
