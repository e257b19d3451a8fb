import CZlib

/// Reading the IDX format of MNIST and Fashion-MNIST (`train-images-idx3-ubyte.gz`, …), gzip-compressed
/// or not (zlib's `gzread` reads both).
///
/// Layout: two zero bytes, a type byte (`0x08`: unsigned bytes, the only type these datasets use), the
/// number of dimensions `n`, then `n` big-endian 32-bit sizes and the values in C order.
public enum IDX {
    /// Why an IDX file could not be read.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The file is missing or unreadable.
        case unreadable(path: String)
        /// The header or the data is not what the format says.
        case malformed(path: String, reason: String)

        public var description: String {
            switch self {
            case let .unreadable(path): "cannot read the IDX file '\(path)'"
            case let .malformed(path, reason): "'\(path)' is not an IDX file of unsigned bytes: \(reason)"
            }
        }
    }

    /// The shape and the values (unsigned bytes) of the IDX file at `path`; at most `limit` values.
    public static func read(contentsOf path: String, limit: Int = 1 << 30) throws(Failure) -> (shape: [Int], values: [UInt8]) {
        guard let file = gzopen(path, "rb") else { throw .unreadable(path: path) }
        defer { gzclose(file) }
        func readExactly(_ count: Int) -> [UInt8]? {
            var out = [UInt8](repeating: 0, count: count)
            var filled = 0
            while filled < count {
                let n = out.withUnsafeMutableBytes { gzread(file, $0.baseAddress! + filled, UInt32(min(count - filled, 1 << 30))) }
                if n <= 0 { return nil }
                filled += Int(n)
            }
            return out
        }
        guard let magic = readExactly(4) else { throw .malformed(path: path, reason: "shorter than its 4-byte magic") }
        guard magic[0] == 0, magic[1] == 0 else { throw .malformed(path: path, reason: "the magic does not start with two zero bytes") }
        guard magic[2] == 0x08 else { throw .malformed(path: path, reason: "type byte 0x\(String(magic[2], radix: 16)), only 0x08 (unsigned bytes) is read") }
        let dimensions = Int(magic[3])
        guard (1...4).contains(dimensions), let sizes = readExactly(4 * dimensions) else {
            throw .malformed(path: path, reason: "\(dimensions) dimensions (1 to 4 are read) or a truncated header")
        }
        var shape: [Int] = []
        var count = 1
        for k in 0..<dimensions {
            let n = sizes[4 * k..<4 * k + 4].reduce(0) { $0 << 8 | Int($1) }
            shape.append(n)
            count = count.multipliedReportingOverflow(by: n).overflow ? Int.max : count * n
        }
        guard count <= limit else { throw .malformed(path: path, reason: "shape \(shape) holds more than \(limit) values") }
        guard let values = readExactly(count) else { throw .malformed(path: path, reason: "fewer values than its shape \(shape) says") }
        return (shape, values)
    }
}
