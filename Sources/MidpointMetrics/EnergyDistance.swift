import MidpointLinearAlgebra

/// The energy distance `E = 2 E|X - Y| - E|X - X'| - E|Y - Y'|` (Székely & Rizzo), estimated with
/// U-statistics for the within-sample terms (diagonals excluded), so its expectation is exactly 0 when
/// the two laws agree. Reported as `√max(E, 0)`, which has the units of a distance.
///
/// Cost is `O(N²d)`: at most `maxPoints` rows of each sample are used (default 2000).
public enum EnergyDistance {
    /// `√max(E, 0)` between the samples.
    public static func distance(_ x: Matrix, _ y: Matrix, maxPoints: Int = PairwiseDistances.defaultMaxPoints) -> Double {
        max(squared(x, y, maxPoints: maxPoints), 0).squareRoot()
    }

    /// The unbiased estimate of `E` itself, negative when the samples are closer than it resolves.
    public static func squared(_ x: Matrix, _ y: Matrix, maxPoints: Int = PairwiseDistances.defaultMaxPoints) -> Double {
        let a = PairwiseDistances.prefix(x, maxPoints), b = PairwiseDistances.prefix(y, maxPoints)
        func meanDistance(_ d2: Matrix, excludeDiagonal: Bool) -> Double {
            var s = 0.0
            for i in 0..<d2.rows { for j in 0..<d2.columns where !(excludeDiagonal && i == j) { s += d2[i, j].squareRoot() } }
            let count = d2.rows * d2.columns - (excludeDiagonal ? d2.rows : 0)
            return s / Double(count)
        }
        let xy = meanDistance(PairwiseDistances.squared(a, b), excludeDiagonal: false)
        let xx = meanDistance(PairwiseDistances.squared(a, a), excludeDiagonal: true)
        let yy = meanDistance(PairwiseDistances.squared(b, b), excludeDiagonal: true)
        return 2 * xy - xx - yy
    }
}
