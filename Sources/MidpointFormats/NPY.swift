import Foundation

/// Reading and writing NumPy's `.npy` format (versions 1.0, 2.0 and 3.0).
///
/// Layout: the magic `\x93NUMPY`, two version bytes, the header length (2 bytes little-endian in
/// version 1, 4 bytes in 2 and 3), an ASCII (UTF-8 in 3) Python dict literal with `descr`,
/// `fortran_order` and `shape`, padded with spaces to a multiple of 64 bytes and ended by `\n`; then
/// the raw data. Midpoint reads and writes little-endian `f8` and `f4` in C order.
public enum NPY {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// Parses the bytes of a `.npy` file.
    public static func decode(_ bytes: [UInt8]) throws(NPYError) -> NPYArray {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(NPYError) in try decode(raw) } }
        return try result.get()
    }

    /// Parses the bytes of a `.npy` file where they lie (a file read is not copied first).
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(NPYError) -> NPYArray {
        let (parsed, dataStart, count) = try header(of: bytes)
        let expected = count * parsed.dtype.size
        let actual = bytes.count - dataStart
        guard actual == expected else { throw .sizeMismatch(expectedBytes: expected, actualBytes: actual) }
        var values = [Double](repeating: 0, count: count)
        let base = bytes.baseAddress! + dataStart
        switch parsed.dtype {
        case .float64:
            for i in 0..<count {
                values[i] = Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
            }
        case .float32:
            for i in 0..<count {
                values[i] = Double(Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
            }
        }
        return try NPYArray(shape: parsed.shape, values: values, dtype: parsed.dtype)
    }

    /// The header of a file's first bytes: its fields, where the data starts and how many values it
    /// holds (the data itself need not be in `bytes`).
    static func header(of bytes: UnsafeRawBufferPointer) throws(NPYError) -> (header: NPYHeader, dataStart: Int, count: Int) {
        guard bytes.count >= 8 else {
            if bytes.count < 6 && !magic.starts(with: bytes) || bytes.count >= 6 && Array(bytes[0..<6]) != magic {
                throw .badMagic
            }
            throw .truncated("preamble")
        }
        guard Array(bytes[0..<6]) == magic else { throw .badMagic }
        let (major, minor) = (bytes[6], bytes[7])
        guard minor == 0, (1...3).contains(major) else { throw .unsupportedVersion(major: major, minor: minor) }
        let lengthBytes = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthBytes else { throw .truncated("header length") }
        var headerLength = 0
        for i in 0..<lengthBytes { headerLength |= Int(bytes[8 + i]) << (8 * i) }
        let headerStart = 8 + lengthBytes
        guard bytes.count >= headerStart + headerLength else { throw .truncated("header") }
        guard let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)],
                                  encoding: major == 3 ? .utf8 : .ascii) else {
            throw .malformedHeader("the header is not \(major == 3 ? "UTF-8" : "ASCII") text")
        }
        let parsed = try NPYHeader(parsing: header)
        var count = 1
        for n in parsed.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            guard !overflow, product <= Int.max / 8 else {
                throw .malformedHeader("shape \(parsed.shape) is too large to hold in memory")
            }
            count = product
        }
        return (parsed, headerStart + headerLength, count)
    }

    /// Serializes `array` as a `.npy` file, in the lowest format version whose header length fits.
    public static func encode(_ array: NPYArray) -> [UInt8] {
        var out = header(array)
        out.reserveCapacity(out.count + array.values.count * array.dtype.size)
        appendValues(array, from: 0, to: array.values.count, into: &out)
        return out
    }

    /// The magic string, version and header dictionary of `array`, padded so that the data starts on a
    /// 64-byte boundary; version 1 if the header fits in 65535 bytes.
    static func header(_ array: NPYArray) -> [UInt8] {
        let shapeText: String
        switch array.shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(array.shape[0]),)"
        default: shapeText = "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        }
        let dict = "{'descr': '\(array.dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        let major: UInt8 = dict.utf8.count + 12 < 65_536 ? 1 : 2
        let prefix = 8 + (major == 1 ? 2 : 4)
        let unpadded = prefix + dict.utf8.count + 1
        let padded = (unpadded + 63) / 64 * 64
        let headerLength = padded - prefix
        var out = magic + [major, 0]
        for i in 0..<(major == 1 ? 2 : 4) { out.append(UInt8(truncatingIfNeeded: headerLength >> (8 * i))) }
        out += Array(dict.utf8)
        out += [UInt8](repeating: 0x20, count: padded - unpadded)
        out.append(0x0A)
        return out
    }

    /// Appends the little-endian bytes of `array.values[start..<end]` in the array's dtype to `out`.
    static func appendValues(_ array: NPYArray, from start: Int, to end: Int, into out: inout [UInt8]) {
        switch array.dtype {
        case .float64:
            for v in array.values[start..<end] { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        case .float32:
            for v in array.values[start..<end] { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { out += $0 } }
        }
    }

    /// Reads a `.npy` file.
    public static func read(contentsOf path: String) throws(NPYError) -> NPYArray {
        let data: Data
        do { data = try InputFile.read(path) } catch {
            throw .io(path: path, reason: error.description)
        }
        let result = data.withUnsafeBytes { raw in Result { () throws(NPYError) in try decode(raw) } }
        return try result.get()
    }

    /// The shape of the `.npy` file at `path` and the bytes it takes, from its first bytes alone (to
    /// check a file's memory before reading it).
    public static func shape(contentsOf path: String) throws(NPYError) -> (shape: [Int], bytes: Int) {
        let (prefix, size): (Data, Int)
        do { (prefix, size) = try InputFile.prefix(path, count: 1 << 17) } catch { throw .io(path: path, reason: error.description) }
        let result = prefix.withUnsafeBytes { raw in Result { () throws(NPYError) in try header(of: raw) } }
        let parsed = try result.get()
        return (parsed.header.shape, size)
    }

    /// Writes `array` to `path`, replacing any existing file atomically (``AtomicFile``): an interrupt or
    /// a full disk leaves the old file, never a truncated one.
    /// The values are streamed in pieces of 64 K: the file's bytes are never held whole beside the array.
    public static func write(_ array: NPYArray, to path: String) throws(NPYError) {
        let piece = 65_536
        do {
            try AtomicFile.write(to: path) { sink in
                header(array).withUnsafeBytes { sink.append($0) }
                var buffer: [UInt8] = []
                buffer.reserveCapacity(piece * array.dtype.size)
                for start in stride(from: 0, to: array.values.count, by: piece) {
                    buffer.removeAll(keepingCapacity: true)
                    appendValues(array, from: start, to: min(start + piece, array.values.count), into: &buffer)
                    buffer.withUnsafeBytes { sink.append($0) }
                }
            }
        } catch {
            throw .io(path: path, reason: error.description)
        }
    }
}
