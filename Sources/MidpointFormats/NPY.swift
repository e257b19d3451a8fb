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
        let dataStart = headerStart + headerLength
        let expected = count * parsed.dtype.size
        let actual = bytes.count - dataStart
        guard actual == expected else { throw .sizeMismatch(expectedBytes: expected, actualBytes: actual) }
        var values = [Double](repeating: 0, count: count)
        bytes.withUnsafeBufferPointer { raw in
            let base = UnsafeRawPointer(raw.baseAddress!) + dataStart
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
        }
        return try NPYArray(shape: parsed.shape, values: values, dtype: parsed.dtype)
    }

    /// Serializes `array` as a `.npy` file, in the lowest format version whose header length fits.
    public static func encode(_ array: NPYArray) -> [UInt8] {
        let shapeText: String
        switch array.shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(array.shape[0]),)"
        default: shapeText = "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        }
        let dict = "{'descr': '\(array.dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Pad so that the data starts on a 64-byte boundary; version 1 if the header fits in 65535 bytes.
        let major: UInt8 = dict.utf8.count + 12 < 65_536 ? 1 : 2
        let prefix = 8 + (major == 1 ? 2 : 4)
        let unpadded = prefix + dict.utf8.count + 1
        let padded = (unpadded + 63) / 64 * 64
        let headerLength = padded - prefix
        var out = magic + [major, 0]
        out.reserveCapacity(padded + array.values.count * array.dtype.size)
        for i in 0..<(major == 1 ? 2 : 4) { out.append(UInt8(truncatingIfNeeded: headerLength >> (8 * i))) }
        out += Array(dict.utf8)
        out += [UInt8](repeating: 0x20, count: padded - unpadded)
        out.append(0x0A)
        switch array.dtype {
        case .float64:
            for v in array.values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        case .float32:
            for v in array.values { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { out += $0 } }
        }
        return out
    }

    /// Reads a `.npy` file.
    public static func read(contentsOf path: String) throws(NPYError) -> NPYArray {
        let data: Data
        do { data = try InputFile.read(path) } catch {
            throw .io(path: path, reason: error.description)
        }
        return try decode([UInt8](data))
    }

    /// Writes `array` to `path`, replacing any existing file atomically (``AtomicFile``): an interrupt or
    /// a full disk leaves the old file, never a truncated one.
    public static func write(_ array: NPYArray, to path: String) throws(NPYError) {
        do { try AtomicFile.write(encode(array), to: path) } catch {
            throw .io(path: path, reason: error.description)
        }
    }
}
