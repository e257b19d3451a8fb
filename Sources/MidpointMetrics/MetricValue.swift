/// One error figure beside its noise floor: the same metric between two independent exact samples
/// of the same size (or an exact sample and the exact law). A value near its floor cannot be told
/// from sampling error.
public struct MetricValue: Sendable, Equatable {
    /// The metric's name as reports print it.
    public let name: String
    /// The sampler's error.
    public let value: Double
    /// The same metric for exact samples.
    public let floor: Double
}
