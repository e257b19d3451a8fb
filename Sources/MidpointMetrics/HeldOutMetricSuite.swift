import MidpointLinearAlgebra

/// Energy distance and MMD between samples and held-out data, for models whose law is known only
/// through data (a network trained on a dataset).
///
/// The floor is the same metrics between the two halves of the held-out rows (even and odd rows, so that
/// data stored in class order splits into halves of the same law): what two independent samples of the
/// data law score, the resolution of the statistic at these sizes. Both statistics are
/// square roots of unbiased U-statistics, so an estimate below resolution is negative and reported as
/// a 0 marked clipped (``MetricValue/floorClipped``). The MMD bandwidth is the median heuristic between
/// the two halves, fixed for every evaluation.
///
/// Caveat: with few held-out rows (300 for the digits) the statistics' own sampling error is of the
/// order of the floor; differences between samplers below it are not significant.
public struct HeldOutMetricSuite: SampleMetrics {
    let heldOut: Matrix
    let bandwidth: Double
    public let names = ["energy", "MMD"]
    public private(set) var floors: [MetricValue] = []
    let floorEstimates: [MetricValue.Estimate]

    /// A suite measuring against `heldOut`, with floors between its first and second halves.
    /// - Precondition: `heldOut` has at least 4 rows.
    public init(heldOut: Matrix) {
        precondition(heldOut.rows >= 4, "the held-out data must have at least 4 rows")
        self.heldOut = heldOut
        let (first, second) = Self.halves(heldOut)
        let bandwidth = MaximumMeanDiscrepancy.medianBandwidth(first, second)
        self.bandwidth = bandwidth
        floorEstimates = Self.estimates(first, second, bandwidth: bandwidth)
        floors = floorEstimates.map { MetricValue(value: $0, floor: $0) }
    }

    public func evaluate(_ samples: Matrix) -> [MetricValue] {
        zip(Self.estimates(samples, heldOut, bandwidth: bandwidth), floorEstimates).map { MetricValue(value: $0, floor: $1) }
    }

    /// The bytes evaluating `particles × dimension` samples holds at its peak, the samples included: the
    /// samples and the pairwise distances of at most ``MetricSuite/pairwiseRows`` rows of each (the suite
    /// itself holds only the held-out data, which its caller loaded).
    public static func estimatedBytes(particles n: Int, dimension d: Int) -> Double {
        let kept = Double(min(n, MetricSuite.pairwiseRows))
        return 8 * Double(n) * Double(d) + 3 * 8 * kept * kept
    }

    /// The even and the odd rows of `m`.
    public static func halves(_ m: Matrix) -> (even: Matrix, odd: Matrix) {
        let d = m.columns
        func rows(from start: Int) -> Matrix {
            let picked = Array(stride(from: start, to: m.rows, by: 2))
            var storage: [Double] = []
            storage.reserveCapacity(picked.count * d)
            for i in picked { storage += m.storage[(i * d)..<((i + 1) * d)] }
            return Matrix(rows: picked.count, columns: d, storage: storage)
        }
        return (rows(from: 0), rows(from: 1))
    }

    static func estimates(_ x: Matrix, _ y: Matrix, bandwidth: Double) -> [MetricValue.Estimate] {
        [.root("energy", squared: EnergyDistance.squared(x, y)),
         .root("MMD", squared: MaximumMeanDiscrepancy.squared(x, y, bandwidth: bandwidth))]
    }
}
