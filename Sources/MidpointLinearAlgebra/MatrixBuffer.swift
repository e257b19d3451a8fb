
/// A row-major `rows × columns` matrix of `Double` whose storage is allocated once, never moves and is
/// freed when the buffer is: the building block of the samplers' workspaces.
///
/// A ``Matrix`` keeps its elements in a copy-on-write `Array`, so a pointer to them exists only inside a
/// `withUnsafe…` closure and a step that touches five matrices nests five closures. A `MatrixBuffer`
/// hands out its ``base`` address directly (non-optional, valid for the buffer's lifetime), so a hot
/// loop takes its pointers once, and a workspace built from buffers allocates nothing per step.
///
/// It is a reference type: copies share the elements. ``base`` and the views (``view``, ``rows(_:)``) are
/// valid while the buffer is alive, and Swift may free an object right after its last use, not at the
/// end of its scope: keep the buffer referenced while its pointers are used — a stored property of a
/// workspace the caller holds, or for a local buffer `defer { withExtendedLifetime(buffer) {} }`.
public final class MatrixBuffer {
    /// Number of rows.
    public let rows: Int
    /// Number of columns (also the row stride).
    public let columns: Int
    /// The first element of the first row; `rows × columns` elements follow, zero when allocated.
    public let base: UnsafeMutablePointer<Double>

    /// A zero-filled `rows × columns` buffer (an empty shape still gets a valid, unused address).
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "buffer dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        base = .allocate(capacity: max(rows * columns, 1))
        base.initialize(repeating: 0, count: max(rows * columns, 1))
    }

    deinit { base.deallocate() }

    /// The number of elements, `rows × columns`.
    @inlinable public var count: Int { rows * columns }

    /// Whether the buffer has the shape `rows × columns` (a workspace reallocates only when it has not).
    @inlinable
    public func hasShape(rows: Int, columns: Int) -> Bool { self.rows == rows && self.columns == columns }

    /// A mutable view of the whole buffer.
    @inlinable public var view: MutableMatrixView { MutableMatrixView(base: base, rows: rows, columns: columns) }

    /// A read-only view of the whole buffer.
    @inlinable public var readOnly: MatrixView { MatrixView(base: base, rows: rows, columns: columns) }

    /// A mutable view of rows `range`.
    @inlinable
    public func rows(_ range: Range<Int>) -> MutableMatrixView {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) outside 0..<\(rows)")
        return MutableMatrixView(base: base + range.lowerBound * columns, rows: range.count, columns: columns)
    }

    /// Whether every element is finite, in one vectorized pass.
    public var isFinite: Bool { readOnly.isFinite }

    /// Overwrites every element with `matrix`'s (same shape).
    public func copy(from matrix: Matrix) {
        precondition(matrix.rows == rows && matrix.columns == columns,
                     "a \(matrix.rows)×\(matrix.columns) matrix does not fit a \(rows)×\(columns) buffer")
        view.copy(from: matrix)
    }

    /// The elements as a new ``Matrix``.
    public var matrix: Matrix { Matrix(readOnly) }
}
