import CMidpointKernels

extension Matrix {
    /// `self ← a · self + b · other`, elementwise (the scaled add every integrator step is made of).
    @inlinable
    public mutating func scaleAndAdd(_ a: Double, _ b: Double, _ other: Matrix) {
        precondition(rows == other.rows && columns == other.columns, "shape mismatch in scaleAndAdd")
        let n = storage.count
        other.storage.withUnsafeBufferPointer { o in
            storage.withUnsafeMutableBufferPointer { s in
                for i in 0..<n { s[i] = a * s[i] + b * o[i] }
            }
        }
    }

    /// `self ← a · self + b · other` with one `(a, b)` pair per row (particles at different times).
    /// Returns whether every result is finite, which the same pass checks for free.
    @discardableResult
    public mutating func scaleAndAddRows(_ a: [Double], _ b: [Double], _ other: Matrix) -> Bool {
        precondition(rows == other.rows && columns == other.columns, "shape mismatch in scaleAndAddRows")
        precondition(a.count == rows && b.count == rows, "one coefficient per row expected")
        let (r, d) = (rows, columns)
        guard r * d > 0 else { return true }
        return other.storage.withUnsafeBufferPointer { o in
            storage.withUnsafeMutableBufferPointer { s in
                mpk_rows_combine(s.baseAddress!, a, s.baseAddress!, b, o.baseAddress!, r, d) != 0
            }
        }
    }

    /// Multiplies row `i` by `a[i]` (particles at their own times).
    @inlinable
    public mutating func scaleRows(_ a: [Double]) {
        precondition(a.count == rows, "one coefficient per row expected")
        let d = columns
        a.withUnsafeBufferPointer { ap in
            storage.withUnsafeMutableBufferPointer { s in
                for i in 0..<ap.count {
                    let c = ap[i]
                    for j in (i * d)..<((i + 1) * d) { s[j] *= c }
                }
            }
        }
    }

    /// Multiplies every element by `a`.
    @inlinable
    public mutating func scale(by a: Double) {
        storage.withUnsafeMutableBufferPointer { s in
            for i in s.indices { s[i] *= a }
        }
    }

    /// Euclidean norm of each row.
    public func rowNorms() -> [Double] {
        var out = [Double](repeating: 0, count: rows)
        storage.withUnsafeBufferPointer { s in
            for i in 0..<rows {
                var acc = 0.0
                for j in (i * columns)..<((i + 1) * columns) { acc += s[j] * s[j] }
                out[i] = acc.squareRoot()
            }
        }
        return out
    }

    /// The mean of the rows (a `columns`-vector).
    public func columnMeans() -> [Double] {
        var m = [Double](repeating: 0, count: columns)
        guard rows > 0 else { return m }
        storage.withUnsafeBufferPointer { s in
            m.withUnsafeMutableBufferPointer { mp in
                for i in 0..<rows {
                    let r = i * columns
                    for j in 0..<columns { mp[j] += s[r + j] }
                }
                for j in 0..<columns { mp[j] /= Double(rows) }
            }
        }
        return m
    }

    /// The sample covariance of the rows (divisor `rows - 1`), through BLAS `syrk` on centered rows.
    public func rowCovariance() -> Matrix {
        let d = columns
        precondition(rows >= 2, "covariance needs at least two rows")
        let mean = columnMeans()
        var centered = self
        centered.storage.withUnsafeMutableBufferPointer { c in
            for i in 0..<rows { for j in 0..<d { c[i * d + j] -= mean[j] } }
        }
        var cov = Matrix(rows: d, columns: d)
        centered.storage.withUnsafeBufferPointer { c in
            cov.storage.withUnsafeMutableBufferPointer { out in
                BLAS.syrkTransposed(n: d, k: rows, alpha: 1 / Double(rows - 1), a: c.baseAddress!, lda: d,
                                    beta: 0, c: out.baseAddress!, ldc: d)
            }
        }
        for i in 0..<d { for j in (i + 1)..<d { cov[i, j] = cov[j, i] } }
        return cov
    }

    /// The matrix product `self · other` through BLAS.
    public func multiplied(by other: Matrix) -> Matrix {
        precondition(columns == other.rows, "cannot multiply \(rows)×\(columns) by \(other.rows)×\(other.columns)")
        var out = Matrix(rows: rows, columns: other.columns)
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                out.storage.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(.none, .none, m: rows, n: other.columns, k: columns, alpha: 1,
                              a: a.baseAddress!, lda: columns, b: b.baseAddress!, ldb: other.columns,
                              beta: 0, c: c.baseAddress!, ldc: other.columns)
                }
            }
        }
        return out
    }

    /// The Frobenius norm.
    public var frobeniusNorm: Double {
        storage.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}

extension Matrix {
    /// `self ← a · x + b · y`, elementwise, resizing `self` if needed.
    @inlinable
    public mutating func assign(_ a: Double, _ x: Matrix, plus b: Double, _ y: Matrix) {
        precondition(x.rows == y.rows && x.columns == y.columns, "shape mismatch in assign")
        if rows != x.rows || columns != x.columns { self = Matrix(rows: x.rows, columns: x.columns) }
        let n = storage.count
        x.storage.withUnsafeBufferPointer { xp in
            y.storage.withUnsafeBufferPointer { yp in
                storage.withUnsafeMutableBufferPointer { s in
                    for i in 0..<n { s[i] = a * xp[i] + b * yp[i] }
                }
            }
        }
    }

    /// `self[i, ·] ← aᵢ · x[i, ·] + bᵢ · y[i, ·]`: one coefficient pair per row (particles at their
    /// own times), resizing `self` if needed. Returns whether every result is finite.
    @discardableResult
    public mutating func assignRows(_ a: [Double], _ x: Matrix, plus b: [Double], _ y: Matrix) -> Bool {
        precondition(x.rows == y.rows && x.columns == y.columns, "shape mismatch in assignRows")
        precondition(a.count == x.rows && b.count == x.rows, "one coefficient per row expected")
        if rows != x.rows || columns != x.columns { self = Matrix(rows: x.rows, columns: x.columns) }
        let (r, d) = (rows, columns)
        guard r * d > 0 else { return true }
        return x.storage.withUnsafeBufferPointer { xp in
            y.storage.withUnsafeBufferPointer { yp in
                storage.withUnsafeMutableBufferPointer { s in
                    mpk_rows_combine(s.baseAddress!, a, xp.baseAddress!, b, yp.baseAddress!, r, d) != 0
                }
            }
        }
    }
}
