/// An n-dimensional array of numbers as stored in a NumPy `.npy` file (C order), held as `Double`.
public struct NPYArray: Sendable, Equatable {
    /// Element types Midpoint reads and writes: little-endian IEEE floats.
    public enum DType: String, Sendable {
        /// `<f8`, 64-bit.
        case float64 = "<f8"
        /// `<f4`, 32-bit (widened to `Double` on read, rounded to nearest on write).
        case float32 = "<f4"

        /// Bytes per element.
        public var size: Int { self == .float64 ? 8 : 4 }
    }

    /// The array's shape; `[]` for a scalar.
    public var shape: [Int]
    /// The elements in C (row-major) order.
    public var values: [Double]
    /// The element type stored in (or to be written to) the file.
    public var dtype: DType

    /// An array of `values` with `shape`.
    /// - Throws: ``NPYError/shapeMismatch(shape:count:)`` if the shape's product is not `values.count`.
    public init(shape: [Int], values: [Double], dtype: DType = .float64) throws(NPYError) {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw .shapeMismatch(shape: shape, count: values.count)
        }
        self.shape = shape
        self.values = values
        self.dtype = dtype
    }
}
