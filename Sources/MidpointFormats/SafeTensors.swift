import Foundation

/// A parsed `.safetensors` file (the format PyTorch models are exported in): named tensors with their
/// shapes, converted to `Double`, plus the header's `__metadata__` strings.
///
/// Layout: an 8-byte little-endian header length `N`, a UTF-8 JSON object of `N` bytes mapping each
/// tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to the data
/// section), then the data section. Validation is strict, as the format asks: offsets in order, inside the
/// data, exactly `product(shape) × size(dtype)` bytes each, no overlaps and no holes. Dtypes F64, F32, F16
/// and BF16 are read (little-endian); any other is an error naming the tensor.
public struct SafeTensors: Sendable, Equatable {
    /// One tensor.
    public struct Tensor: Sendable, Equatable {
        /// The dtype as written (`F64`, `F32`, `F16`, `BF16`).
        public let dtype: String
        /// The shape (row-major).
        public let shape: [Int]
        /// The values, converted exactly to `Double`.
        public let values: [Double]
    }

    /// Tensors by name.
    public let tensors: [String: Tensor]
    /// The `__metadata__` strings (empty when absent).
    public let metadata: [String: String]

    /// The tensor `name`.
    public func tensor(_ name: String) throws(SafeTensorsError) -> Tensor {
        guard let t = tensors[name] else { throw .missingTensor(name, available: tensors.keys.sorted()) }
        return t
    }

    /// Reads and parses a file.
    public static func read(contentsOf path: String) throws(SafeTensorsError) -> SafeTensors {
        let data: Data
        do { data = try InputFile.read(path) } catch {
            throw .io(path: path, reason: error.description)
        }
        return try decode([UInt8](data))
    }

    /// Parses the bytes of a file.
    public static func decode(_ bytes: [UInt8]) throws(SafeTensorsError) -> SafeTensors {
        guard bytes.count >= 8 else { throw .truncated("8-byte header length") }
        var n: UInt64 = 0
        for k in 0..<8 { n |= UInt64(bytes[k]) << (8 * UInt64(k)) }
        guard n <= UInt64(bytes.count - 8) else {
            throw .truncated("header (it declares \(n) bytes, the file has \(bytes.count - 8) after the length)")
        }
        let headerEnd = 8 + Int(n)
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) } catch {
            throw .malformedHeader("not valid JSON")
        }
        guard let root = object as? [String: Any] else { throw .malformedHeader("not a JSON object") }
        let dataCount = bytes.count - headerEnd
        var metadata: [String: String] = [:]
        var entries: [(name: String, dtype: String, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in root {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw .malformedHeader("__metadata__ must be an object of strings") }
                for (k, v) in m {
                    guard let s = v as? String else { throw .malformedHeader("__metadata__['\(k)'] must be a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any] else { throw .malformedHeader("entry '\(name)' must be an object") }
            guard let dtype = info["dtype"] as? String else { throw .malformedHeader("entry '\(name)' has no string 'dtype'") }
            guard let shapeValues = info["shape"] as? [Any], let offsetValues = info["data_offsets"] as? [Any],
                  offsetValues.count == 2 else {
                throw .malformedHeader("entry '\(name)' needs 'shape' (array) and 'data_offsets' ([begin, end])")
            }
            guard let shape = integers(shapeValues), let offsets = integers(offsetValues) else {
                throw .malformedHeader("entry '\(name)': shape and data_offsets must be non-negative integers")
            }
            guard let size = elementSize(dtype) else { throw .unsupportedDType(tensor: name, dtype: dtype) }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin <= end, end <= dataCount else {
                throw .badOffsets(tensor: name, reason: "data_offsets [\(begin), \(end)] must satisfy begin ≤ end ≤ \(dataCount) (the data section's size)")
            }
            var count = 1
            for s in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: s)
                guard !overflow else { throw .badOffsets(tensor: name, reason: "shape \(shape) overflows") }
                count = product
            }
            let (bytesNeeded, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, bytesNeeded == end - begin else {
                throw .badOffsets(tensor: name, reason: "shape \(shape) of \(dtype) needs \(count) × \(size) bytes, data_offsets give \(end - begin)")
            }
            entries.append((name, dtype, shape, begin, end))
        }
        // No overlaps and no holes: sorted by offset, each tensor starts where the previous one ended.
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var position = 0
        for e in entries {
            guard e.begin == position else {
                throw .layout(e.begin < position ? "tensor '\(e.name)' overlaps the previous tensor (starts at \(e.begin), previous ends at \(position))"
                                                 : "bytes \(position)..<\(e.begin) belong to no tensor")
            }
            position = e.end
        }
        guard position == dataCount else { throw .layout("bytes \(position)..<\(dataCount) at the end belong to no tensor") }
        var tensors: [String: Tensor] = [:]
        for e in entries {
            tensors[e.name] = Tensor(dtype: e.dtype, shape: e.shape,
                                     values: convert(bytes, from: headerEnd + e.begin, to: headerEnd + e.end, dtype: e.dtype))
        }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }

    /// Bytes per element of a supported dtype.
    static func elementSize(_ dtype: String) -> Int? {
        switch dtype {
        case "F64": 8
        case "F32": 4
        case "F16", "BF16": 2
        default: nil
        }
    }

    /// Non-negative integers that fit in `Int` (JSON numbers are parsed as doubles or integers).
    static func integers(_ values: [Any]) -> [Int]? {
        var out: [Int] = []
        for v in values {
            guard let number = v as? NSNumber else { return nil }
            let d = number.doubleValue
            guard d.isFinite, d >= 0, d < 9.0e15, d == d.rounded() else { return nil }
            out.append(Int(d))
        }
        return out
    }

    /// Little-endian elements of `bytes[begin..<end]` as doubles (exact for every supported dtype).
    static func convert(_ bytes: [UInt8], from begin: Int, to end: Int, dtype: String) -> [Double] {
        var out: [Double] = []
        let size = elementSize(dtype)!
        out.reserveCapacity((end - begin) / size)
        var i = begin
        while i < end {
            var bits: UInt64 = 0
            for k in 0..<size { bits |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
            switch dtype {
            case "F64": out.append(Double(bitPattern: bits))
            case "F32": out.append(Double(Float(bitPattern: UInt32(bits))))
            case "BF16": out.append(Double(Float(bitPattern: UInt32(bits) << 16)))
            default: out.append(halfToDouble(UInt16(bits)))
            }
            i += size
        }
        return out
    }

    /// IEEE binary16 to `Double`, exactly (subnormals, infinities and NaN included), without relying on
    /// the platform's `Float16`.
    static func halfToDouble(_ h: UInt16) -> Double {
        let sign: Double = (h & 0x8000) != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1F), fraction = Double(h & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
