import MidpointLinearAlgebra

/// Squared Euclidean distances between the rows of two matrices, `‖xᵢ - yⱼ‖² = |xᵢ|² + |yⱼ|² - 2 xᵢ·yⱼ`,
/// with the cross term as one GEMM. Rounding can make a tiny distance slightly negative; it is clamped
/// to zero.
public enum PairwiseDistances {
    /// The most rows of each sample the pairwise metrics (energy distance, MMD) use unless told
    /// otherwise: their cost is `O(N²d)`, so larger samples are measured on their first rows, a stated
    /// subsample (the reports say so).
    public static let defaultMaxPoints = 2000

    static func squared(_ x: Matrix, _ y: Matrix) -> Matrix {
        var cross = x.multiplied(by: y.transposed())
        let nx = x.rowNorms().map { $0 * $0 }, ny = y.rowNorms().map { $0 * $0 }
        for i in 0..<x.rows {
            for j in 0..<y.rows { cross[i, j] = max(nx[i] + ny[j] - 2 * cross[i, j], 0) }
        }
        return cross
    }

    /// The first `count` rows of `x` (all if fewer): sample-vs-sample statistics cost `O(N²)`, so they
    /// use a fixed prefix of the (exchangeable) particles.
    static func prefix(_ x: Matrix, _ count: Int) -> Matrix { x.rows <= count ? x : x.rows(0..<count) }
}
