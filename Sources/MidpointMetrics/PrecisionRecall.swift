import MidpointLinearAlgebra

/// Improved precision and recall (Kynkäänniemi et al. 2019) of generated features against real ones:
/// each sample's manifold is the union of balls around its points, each ball reaching the point's k-th
/// nearest neighbour in the same sample. Precision is the share of generated points inside the real
/// manifold (quality), recall the share of real points inside the generated one (coverage).
///
/// Cost is `O(N²d)` through the pairwise distances (one GEMM per pair of samples); at most `maxPoints`
/// rows of each sample are used.
public enum PrecisionRecall {
    /// `(precision, recall)` with `k` neighbours (3, as in the paper).
    public static func of(generated: Matrix, real: Matrix, k: Int = 3,
                          maxPoints: Int = PairwiseDistances.defaultMaxPoints) -> (precision: Double, recall: Double) {
        let g = PairwiseDistances.prefix(generated, maxPoints), r = PairwiseDistances.prefix(real, maxPoints)
        precondition(g.rows > k && r.rows > k, "need more than k = \(k) points in each sample")
        let radiusG = radii(PairwiseDistances.squared(g, g), k: k), radiusR = radii(PairwiseDistances.squared(r, r), k: k)
        let cross = PairwiseDistances.squared(g, r)  // g.rows × r.rows
        var inReal = 0, inGenerated = 0
        for i in 0..<g.rows where (0..<r.rows).contains(where: { cross[i, $0] <= radiusR[$0] }) { inReal += 1 }
        for j in 0..<r.rows where (0..<g.rows).contains(where: { cross[$0, j] <= radiusG[$0] }) { inGenerated += 1 }
        return (Double(inReal) / Double(g.rows), Double(inGenerated) / Double(r.rows))
    }

    /// Each row's squared distance to its k-th nearest other row.
    static func radii(_ squared: Matrix, k: Int) -> [Double] {
        (0..<squared.rows).map { i in
            var row = (0..<squared.columns).filter { $0 != i }.map { squared[i, $0] }
            row.sort()
            return row[k - 1]
        }
    }
}
