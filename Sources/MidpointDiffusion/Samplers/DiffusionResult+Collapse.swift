import MidpointLinearAlgebra

extension DiffusionResult {
    /// Samples that are exact copies of another sample (bit for bit): a sampler whose particles collapse
    /// onto a few points (an early stop so small that a learned score memorizes its training set, or
    /// states that underflow) produces them; independent draws of a continuous law never do.
    public func duplicateCount() -> Int {
        Self.duplicateRows(in: samples)
    }

    /// The number of rows of `m` equal to an earlier row, by hashing each row's bit pattern and comparing
    /// rows whose hashes collide.
    public static func duplicateRows(in m: Matrix) -> Int {
        let d = m.columns
        var seen: [Int: [Int]] = [:]
        var duplicates = 0
        for i in 0..<m.rows {
            var hasher = Hasher()
            for j in 0..<d { hasher.combine(m[i, j].bitPattern) }
            let key = hasher.finalize()
            let candidates = seen[key, default: []]
            if candidates.contains(where: { r in (0..<d).allSatisfy { m[r, $0].bitPattern == m[i, $0].bitPattern } }) {
                duplicates += 1
            } else {
                seen[key, default: []].append(i)
            }
        }
        return duplicates
    }

    /// The fraction of coordinates whose sample standard deviation is below `ratio` times `expected`
    /// (the target's at the run's final time): near 1 when the particles collapsed toward a point.
    public func collapsedCoordinateFraction(expectedStandardDeviations expected: [Double], ratio: Double = 1e-3) -> Double {
        let (n, d) = (samples.rows, samples.columns)
        precondition(expected.count == d, "one expected sd per coordinate")
        guard n >= 2, d > 0 else { return 0 }
        var collapsed = 0
        for j in 0..<d {
            var mean = 0.0
            for i in 0..<n { mean += samples[i, j] }
            mean /= Double(n)
            var variance = 0.0
            for i in 0..<n { variance += (samples[i, j] - mean) * (samples[i, j] - mean) }
            let sd = (variance / Double(n - 1)).squareRoot()
            if sd < ratio * expected[j] { collapsed += 1 }
        }
        return Double(collapsed) / Double(d)
    }
}
