import MidpointLinearAlgebra

/// Energy distance and MMD between samples and held-out data, for models whose law is known only
/// through data (a network trained on a dataset).
///
/// The floor is the same metrics for rows of the *training* data against the held-out rows: what a
/// model that reproduced its training set exactly would score. Both statistics are U-statistics
/// (unbiased for the squared distance), so floor and value are comparable when they use the same
/// number of rows; the floor uses `min(particles, training rows)` rows, and the MMD bandwidth is the
/// median heuristic between held-out and training rows, fixed for every evaluation.
///
/// Caveat: with few held-out rows (300 for the digits) the statistics' own sampling error is of the
/// order of the floor; differences between samplers below it are not significant.
public struct HeldOutMetricSuite: SampleMetrics {
    let heldOut: Matrix
    let bandwidth: Double
    public let names = ["energy", "MMD"]
    public private(set) var floors: [MetricValue] = []

    /// A suite measuring against `heldOut`, with floors from the first `min(particles, train.rows)`
    /// rows of `train`.
    /// - Precondition: both matrices have rows and the same number of columns.
    public init(heldOut: Matrix, train: Matrix, particles: Int) {
        precondition(heldOut.rows > 1 && train.rows > 1 && heldOut.columns == train.columns,
                     "held-out and training data must have rows and equal columns")
        self.heldOut = heldOut
        let floorRows = min(particles, train.rows)
        let floorSample = Matrix(rows: floorRows, columns: train.columns,
                                 storage: Array(train.storage[0..<(floorRows * train.columns)]))
        bandwidth = MaximumMeanDiscrepancy.medianBandwidth(heldOut, floorSample)
        floors = raw(floorSample).map { MetricValue(name: $0.0, value: $0.1, floor: $0.1) }
    }

    public func evaluate(_ samples: Matrix) -> [MetricValue] {
        zip(raw(samples), floors).map { MetricValue(name: $0.0, value: $0.1, floor: $1.value) }
    }

    func raw(_ x: Matrix) -> [(String, Double)] {
        [("energy", EnergyDistance.distance(x, heldOut)),
         ("MMD", MaximumMeanDiscrepancy.distance(x, heldOut, bandwidth: bandwidth))]
    }
}
