import CMidpointKernels

/// A dense row-major matrix of `Double` in one contiguous buffer.
///
/// Batches of particles are `N × d` matrices: row `i` is particle `i`. Element `(i, j)` lives at
/// `storage[i * columns + j]`, which is what BLAS calls row-major with leading dimension `columns`.
/// `Matrix` is a value type with copy-on-write storage (a Swift `Array`), so hot loops should take
/// buffer pointers once (`withUnsafeMutableBufferPointer`) rather than subscripting element by element.
public struct Matrix: Sendable, Equatable {
    /// Number of rows (particles, in a batch).
    public let rows: Int
    /// Number of columns (the dimension, in a batch).
    public let columns: Int
    /// The elements in row-major order; `storage.count == rows * columns`.
    public var storage: [Double]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Double](repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major storage.
    /// - Precondition: `storage.count == rows * columns`.
    public init(rows: Int, columns: Int, storage: [Double]) {
        precondition(storage.count == rows * columns, "storage has \(storage.count) elements, expected \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from an array of equal-length rows.
    public init(rowArrays: [[Double]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "rows have different lengths")
        self.init(rows: rowArrays.count, columns: columns, storage: rowArrays.flatMap { $0 })
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    /// A square matrix with `diagonal` on its diagonal.
    public static func diagonal(_ diagonal: [Double]) -> Matrix {
        let n = diagonal.count
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i * n + i] = diagonal[i] }
        return m
    }

    /// Element `(row, column)`.
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// A copy of row `i`.
    public func row(_ i: Int) -> [Double] {
        Array(storage[(i * columns)..<((i + 1) * columns)])
    }

    /// The transpose, as a new matrix.
    public func transposed() -> Matrix {
        var t = Matrix(rows: columns, columns: rows)
        storage.withUnsafeBufferPointer { a in
            t.storage.withUnsafeMutableBufferPointer { b in
                for i in 0..<rows {
                    for j in 0..<columns { b[j * rows + i] = a[i * columns + j] }
                }
            }
        }
        return t
    }

    /// Rows `range` as a new matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, columns: columns,
               storage: Array(storage[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// Overwrites rows `row ..< row + block.rows` with `block` (same column count).
    public mutating func setRows(startingAt row: Int, from block: Matrix) {
        precondition(block.columns == columns && row >= 0 && row + block.rows <= rows,
                     "a \(block.rows)×\(block.columns) block does not fit at row \(row) of a \(rows)×\(columns) matrix")
        storage.replaceSubrange((row * columns)..<((row + block.rows) * columns), with: block.storage)
    }

    /// Whether every element is finite (neither NaN nor infinite), in one vectorized pass.
    public var isFinite: Bool {
        storage.withUnsafeBufferPointer { p in p.isEmpty || mpk_all_finite(p.baseAddress!, p.count) != 0 }
    }

    /// A read-only view of the whole matrix.
    @inlinable
    public func withView<R>(_ body: (MatrixView) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { p in
            try body(MatrixView(base: p.baseAddress!, rows: rows, columns: columns))
        }
    }

    /// A mutable view of the whole matrix.
    @inlinable
    public mutating func withMutableView<R>(_ body: (MutableMatrixView) throws -> R) rethrows -> R {
        let (r, c) = (rows, columns)
        return try storage.withUnsafeMutableBufferPointer { p in
            try body(MutableMatrixView(base: p.baseAddress!, rows: r, columns: c))
        }
    }
}

extension Matrix {
    /// A copy of the elements of `view`.
    public init(_ view: MatrixView) {
        self.init(rows: view.rows, columns: view.columns,
                  storage: Array(UnsafeBufferPointer(start: view.base, count: view.rows * view.columns)))
    }
}
