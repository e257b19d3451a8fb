import Midpoint

extension MetricValue {
    /// The metric's row in a `metric | value | noise floor` table; a clipped estimate is printed as
    /// `0 (clipped)`: below the statistic's resolution, not an exact match.
    var cells: [Table.Value] {
        func cell(_ x: Double, _ clipped: Bool) -> Table.Value { clipped ? .text("0 (clipped)") : .number(x) }
        return [.text(name), cell(value, valueClipped), cell(floor, floorClipped)]
    }
}

/// The lines a report prints under its metrics when some metrics measured a stated subsample.
enum MetricSubsample {
    /// Notes for `particles` samples of `dimension`; `pooled` is nil for held-out data (energy and MMD
    /// only), else whether a product target's pooled marginals are measured too. Empty when every metric
    /// used every value.
    static func notes(particles: Int, dimension: Int, pooled: Bool?) -> [String] {
        var notes: [String] = []
        if particles > PairwiseDistances.defaultMaxPoints {
            notes.append("energy and MMD use the first \(PairwiseDistances.defaultMaxPoints) of \(particles) rows of each sample (their cost grows as N²)")
        }
        if pooled != nil, particles > SlicedWasserstein.defaultMaxRows {
            notes.append("sliced W2 uses the first \(SlicedWasserstein.defaultMaxRows) of \(particles) rows (each of its directions sorts them)")
        }
        let values = particles.multipliedReportingOverflow(by: dimension)
        if pooled == true, values.overflow || values.partialValue > MetricSuite.pooledValues {
            notes.append("pooled KS, W1 and TV use the first \(MetricSuite.pooledValues) of the N·d coordinates")
        }
        return notes
    }
}
