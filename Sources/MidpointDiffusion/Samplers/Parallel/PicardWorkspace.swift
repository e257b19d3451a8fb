import MidpointLinearAlgebra

/// The batch and score buffers of ``RandomizedMidpointParallelSampler``'s windows, reused while the
/// window length stays the same.
struct PicardWorkspace {
    var batch = Matrix(rows: 0, columns: 0)
    var scores = Matrix(rows: 0, columns: 0)

    /// Reallocates both buffers unless they already have this shape.
    mutating func prepare(rows: Int, columns: Int) {
        guard batch.rows != rows || batch.columns != columns else { return }
        batch = Matrix(rows: rows, columns: columns)
        scores = Matrix(rows: rows, columns: columns)
    }
}
