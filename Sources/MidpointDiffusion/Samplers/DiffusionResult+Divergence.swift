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
}
