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
}
