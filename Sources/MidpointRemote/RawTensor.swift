import Foundation

/// Raw tensor bytes as the Open Inference Protocol sends them: flattened row-major, little-endian,
/// 4 bytes per FP32 value or 8 per FP64 value.
public enum RawTensor {
    /// Bytes per value of `datatype`: 4 for FP32, 8 for FP64.
    public static func width(_ datatype: String) -> Int { datatype == "FP32" ? 4 : 8 }

    /// Appends `values` in `dtype` (FP32 rounds each value to the nearest float).
    static func append(_ values: UnsafeBufferPointer<Double>, dtype: String, to data: inout Data) {
        if dtype == "FP32" {
            var floats = [Float](repeating: 0, count: values.count)
            for k in values.indices { floats[k] = Float(values[k]) }
            floats.withUnsafeBytes { data.append(contentsOf: $0) }
        } else {
            // Every platform Swift runs on is little-endian, as the protocol's raw contents are.
            data.append(contentsOf: UnsafeRawBufferPointer(values))
        }
    }

    /// The bytes of `values` in `dtype`.
    public static func bytes(_ values: UnsafeBufferPointer<Double>, dtype: String) -> Data {
        var data = Data()
        data.reserveCapacity(values.count * width(dtype))
        append(values, dtype: dtype, to: &data)
        return data
    }

    /// Little-endian INT64 bytes of `labels` (class labels).
    public static func bytes(labels: UnsafeBufferPointer<Int64>) -> Data {
        var data = Data()
        data.reserveCapacity(labels.count * 8)
        for label in labels { withUnsafeBytes(of: label.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// Decodes `count` values of `datatype` from `bytes` into `output`; false when the byte count is wrong.
    public static func decode(_ bytes: Data, datatype: String, count: Int, into output: UnsafeMutableBufferPointer<Double>) -> Bool {
        guard bytes.count == count * width(datatype), output.count >= count else { return false }
        bytes.withUnsafeBytes { raw in
            if datatype == "FP32" {
                for k in 0..<count { output[k] = Double(raw.loadUnaligned(fromByteOffset: 4 * k, as: Float.self)) }
            } else {
                for k in 0..<count { output[k] = raw.loadUnaligned(fromByteOffset: 8 * k, as: Double.self) }
            }
        }
        return true
    }
}
