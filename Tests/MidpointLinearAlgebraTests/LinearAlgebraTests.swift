import MidpointLinearAlgebra
import Synchronization
import Testing

@Suite struct LinearAlgebraTests {
    let a = Matrix(rowArrays: [[4, 2, 0.6], [2, 5, 1], [0.6, 1, 3]])

    @Test func gemmMatchesNaiveProduct() {
        let x = Matrix(rowArrays: [[1, 2, 3], [4, 5, 6]])
        let p = x.multiplied(by: a)
        for i in 0..<2 {
            for j in 0..<3 {
                let naive = (0..<3).reduce(0.0) { $0 + x[i, $1] * a[$1, j] }
                #expect(abs(p[i, j] - naive) < 1e-12)
            }
        }
    }

    @Test func choleskyReconstructs() throws {
        let l = try Cholesky(a).lower
        let llt = l.multiplied(by: l.transposed())
        for i in 0..<3 { for j in 0..<3 { #expect(abs(llt[i, j] - a[i, j]) < 1e-12) } }
        #expect(l[0, 1] == 0 && l[0, 2] == 0 && l[1, 2] == 0)
    }

    @Test func choleskyRejectsIndefiniteAndNonFinite() {
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: 2)) {
            try Cholesky(Matrix(rowArrays: [[1, 2], [2, 1]]))
        }
        #expect(throws: LinearAlgebraError.nonFinite(row: 1, column: 0)) {
            try Cholesky(Matrix(rowArrays: [[1, 0], [.nan, 1]]))
        }
        #expect(throws: LinearAlgebraError.notSquare(rows: 1, columns: 2)) { try Cholesky(Matrix(rowArrays: [[1, 0]])) }
    }

    @Test func eigenReconstructsAndIsOrthonormal() throws {
        let e = try SymmetricEigen(a)
        #expect(e.values == e.values.sorted())
        let back = e.reconstruct { $0 }
        for i in 0..<3 { for j in 0..<3 { #expect(abs(back[i, j] - a[i, j]) < 1e-12) } }
        let utu = e.vectors.transposed().multiplied(by: e.vectors)
        for i in 0..<3 { for j in 0..<3 { #expect(abs(utu[i, j] - (i == j ? 1 : 0)) < 1e-12) } }
        let root = e.reconstruct { $0.squareRoot() }
        let square = root.multiplied(by: root)
        for i in 0..<3 { for j in 0..<3 { #expect(abs(square[i, j] - a[i, j]) < 1e-12) } }
    }

    @Test func eigenRejectsAsymmetric() {
        #expect(throws: LinearAlgebraError.notSymmetric(row: 0, column: 1)) {
            try SymmetricEigen(Matrix(rowArrays: [[1, 2], [3, 1]]))
        }
    }

    @Test func covarianceAndMeans() {
        let x = Matrix(rowArrays: [[1, 2], [3, 6], [5, 4]])
        #expect(x.columnMeans() == [3, 4])
        let c = x.rowCovariance()
        #expect(abs(c[0, 0] - 4) < 1e-12 && abs(c[1, 1] - 4) < 1e-12 && abs(c[0, 1] - 2) < 1e-12 && c[0, 1] == c[1, 0])
        #expect(zip(x.rowNorms(), [5.0, 45, 41]).allSatisfy { abs($0 * $0 - $1) < 1e-12 })
    }

    @Test(arguments: [1, 2, 3], [1, 5, 256])
    func rowChunksVisitEveryRowOnce(threads: Int, chunk: Int) {
        let rows = 1000
        let counts = Mutex([Int](repeating: 0, count: rows))
        RowChunks(chunkSize: chunk, threads: threads).forEach(rows: rows) { range in
            #expect(range.count <= chunk)
            counts.withLock { for r in range { $0[r] += 1 } }
        }
        #expect(counts.withLock { $0 } == [Int](repeating: 1, count: rows))
    }

    /// The vector kernels check finiteness in their main 4- or 16-wide loops and in their scalar
    /// tails: a NaN or infinity anywhere is found, for lengths on both sides of every block size.
    @Test(arguments: [1, 3, 4, 5, 15, 16, 17, 33])
    func finitenessChecksFindEveryPosition(count: Int) {
        var clean = Matrix(rows: 1, columns: count)
        for j in 0..<count { clean[0, j] = Double(j) - 2.5 }
        #expect(clean.isFinite)
        for bad in [Double.nan, .infinity, -.infinity] {
            for j in 0..<count {
                var x = clean
                x[0, j] = bad
                #expect(!x.isFinite)
                var y = clean
                let cleanSum = y.scaleAndAddRows([1], [1], clean)
                let badSum = y.scaleAndAddRows([1], [1], x)
                var z = Matrix(rows: 1, columns: count)
                let badAssign = z.assignRows([1], x, plus: [0.5], clean)
                #expect(cleanSum && !badSum && !badAssign)
            }
        }
        // Overflow in the combination itself is caught too.
        var big = Matrix(rows: 2, columns: count)
        for j in 0..<count { big[0, j] = 1e308; big[1, j] = 1 }
        let other = big
        let overflowed = !big.scaleAndAddRows([1, 1], [10, 1], other)
        #expect(overflowed)
    }

    /// Per-row coefficients land on their rows.
    @Test func rowCombinationsUseEachRowsCoefficients() {
        var x = Matrix(rows: 3, columns: 5), y = x
        for i in 0..<3 { for j in 0..<5 { x[i, j] = Double(i * 5 + j); y[i, j] = 1 } }
        var out = Matrix(rows: 0, columns: 0)
        let assigned = out.assignRows([1, 2, 3], x, plus: [0, -1, 0.5], y)
        #expect(assigned)
        for i in 0..<3 { for j in 0..<5 { #expect(out[i, j] == [1.0, 2, 3][i] * x[i, j] + [0.0, -1, 0.5][i]) } }
        let added = y.scaleAndAddRows([2, 0, 1], [1, 1, -1], x)
        #expect(added)
        for i in 0..<3 { for j in 0..<5 { #expect(y[i, j] == [2.0, 0, 1][i] + [1.0, 1, -1][i] * x[i, j]) } }
    }
}
