extension Matrix {
    /// Throws unless the matrix is square with only finite entries.
    func requireSquareAndFinite() throws(LinearAlgebraError) {
        guard rows == columns else { throw .notSquare(rows: rows, columns: columns) }
        for i in 0..<rows {
            for j in 0..<columns where !self[i, j].isFinite { throw .nonFinite(row: i, column: j) }
        }
    }
}
