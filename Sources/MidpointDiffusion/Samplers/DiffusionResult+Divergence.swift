extension DiffusionResult {
    /// The largest root-mean-square coordinate a sample may have before it counts as diverged.
    ///
    /// The forward process ends in `N(0, I)` and the data are scaled to O(1) per coordinate, so a sample
    /// whose RMS coordinate exceeds 100 is a particle the sampler lost, not a rare draw.
    public static let divergenceRMS = 100.0

    /// The number of samples whose RMS coordinate exceeds `limit` (or is not finite).
    public func divergedCount(limit: Double = DiffusionResult.divergenceRMS) -> Int {
        let d = max(samples.columns, 1)
        let bound = limit * limit * Double(d)
        return samples.storage.withUnsafeBufferPointer { x in
            (0..<samples.rows).reduce(0) { count, i in
                var total = 0.0
                for j in (i * d)..<((i + 1) * d) { total += x[j] * x[j] }
                return count + (total <= bound ? 0 : 1)
            }
        }
    }

    /// The number of samples off the data range `range`: whose RMS distance outside it, per coordinate,
    /// exceeds `fraction` of its width. Scale-free where ``divergedCount(limit:)`` is not: a `[-1, 1]` image
    /// never reaches an RMS of 100. On the digits network converged samples stay below a tenth (0.19 of its
    /// width 2 at most for 500 samples at 50 NFE), so the default quarter flags only samples off the data.
    public func offRangeCount(_ range: ClosedRange<Double>, fraction: Double = 0.25) -> Int {
        let d = max(samples.columns, 1)
        let (lo, hi) = (range.lowerBound, range.upperBound)
        let bound = fraction * (hi - lo) * fraction * (hi - lo) * Double(d)
        return samples.storage.withUnsafeBufferPointer { x in
            (0..<samples.rows).reduce(0) { count, i in
                var total = 0.0
                for j in (i * d)..<((i + 1) * d) {
                    let e = max(0, lo - x[j], x[j] - hi)
                    total += e * e
                }
                return count + (total <= bound ? 0 : 1)
            }
        }
    }
}
