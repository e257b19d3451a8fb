import CMidpointKernels

/// A read-only window onto a block of rows of a row-major matrix.
///
/// Views are how batched kernels (score models, BLAS calls) see a chunk of particles without copying.
/// They hold an unsafe pointer: a view is only valid inside the closure that produced it.
/// It is `@unchecked Sendable` because parallel chunk loops hand disjoint views to different threads.
public struct MatrixView: @unchecked Sendable {
    /// The first element of the first row.
    public let base: UnsafePointer<Double>
    /// Number of rows in the view.
    public let rows: Int
    /// Number of columns (also the row stride).
    public let columns: Int

    /// A view over `rows × columns` doubles starting at `base`.
    @inlinable
    public init(base: UnsafePointer<Double>, rows: Int, columns: Int) {
        self.base = base
        self.rows = rows
        self.columns = columns
    }

    /// Element `(row, column)`.
    @inlinable
    public subscript(row: Int, column: Int) -> Double { base[row * columns + column] }

    /// Pointer to the start of row `i`.
    @inlinable
    public func row(_ i: Int) -> UnsafePointer<Double> { base + i * columns }

    /// The sub-view of rows `range`.
    @inlinable
    public func rows(_ range: Range<Int>) -> MatrixView {
        MatrixView(base: base + range.lowerBound * columns, rows: range.count, columns: columns)
    }
}

/// A mutable window onto a block of rows of a row-major matrix. See ``MatrixView``.
public struct MutableMatrixView: @unchecked Sendable {
    /// The first element of the first row.
    public let base: UnsafeMutablePointer<Double>
    /// Number of rows in the view.
    public let rows: Int
    /// Number of columns (also the row stride).
    public let columns: Int

    /// A view over `rows × columns` doubles starting at `base`.
    @inlinable
    public init(base: UnsafeMutablePointer<Double>, rows: Int, columns: Int) {
        self.base = base
        self.rows = rows
        self.columns = columns
    }

    /// Element `(row, column)`.
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { base[row * columns + column] }
        nonmutating set { base[row * columns + column] = newValue }
    }

    /// Pointer to the start of row `i`.
    @inlinable
    public func row(_ i: Int) -> UnsafeMutablePointer<Double> { base + i * columns }

    /// The sub-view of rows `range`.
    @inlinable
    public func rows(_ range: Range<Int>) -> MutableMatrixView {
        MutableMatrixView(base: base + range.lowerBound * columns, rows: range.count, columns: columns)
    }

    /// The same block, read-only.
    @inlinable
    public var readOnly: MatrixView { MatrixView(base: UnsafePointer(base), rows: rows, columns: columns) }
}

extension MatrixView {
    /// Whether every element is finite, in one vectorized pass.
    public var isFinite: Bool { rows * columns == 0 || mpk_all_finite(base, rows * columns) != 0 }

    /// The index of the first row holding a non-finite element, if any.
    public var firstNonFiniteRow: Int? {
        let n = rows * columns
        guard let k = (0..<n).first(where: { !base[$0].isFinite }) else { return nil }
        return k / max(columns, 1)
    }
}

extension MutableMatrixView {
    /// Overwrites every element with `other`'s (same shape, not overlapping).
    @inlinable
    public func copy(from other: MatrixView) {
        precondition(other.rows == rows && other.columns == columns, "shape mismatch in copy")
        base.update(from: other.base, count: rows * columns)
    }

    /// Overwrites every element with `matrix`'s (same shape).
    @inlinable
    public func copy(from matrix: Matrix) {
        matrix.withView { copy(from: $0) }
    }
}
