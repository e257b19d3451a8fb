import MidpointLinearAlgebra

/// A set of error metrics for samples, each reported beside its noise floor.
public protocol SampleMetrics {
    /// Metric names, in report order.
    var names: [String] { get }
    /// Every metric of a reference sample of the same size: the noise floors, in report order.
    var floors: [MetricValue] { get }
    /// Every metric of `samples` with its floor.
    func evaluate(_ samples: Matrix) -> [MetricValue]
}
