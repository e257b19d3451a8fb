/// One error figure beside its noise floor: the same metric between two independent exact samples
/// of the same size (or an exact sample and the exact law). A value near its floor cannot be told
/// from sampling error.
///
/// Energy distance and MMD are square roots of unbiased U-statistics, which fall below zero when two
/// samples are closer than the statistic can resolve; they are then reported as 0 and marked clipped
/// (``valueClipped``, ``floorClipped``), so that a 0 is never read as an exact match.
public struct MetricValue: Sendable, Equatable {
    /// The metric's name as reports print it.
    public let name: String
    /// The sampler's error.
    public let value: Double
    /// The same metric for exact samples.
    public let floor: Double
    /// Whether ``value`` is a negative squared estimate clipped to 0.
    public let valueClipped: Bool
    /// Whether ``floor`` is a negative squared estimate clipped to 0.
    public let floorClipped: Bool

    /// A figure with its floor and whether either was clipped.
    public init(name: String, value: Double, floor: Double, valueClipped: Bool = false, floorClipped: Bool = false) {
        self.name = name
        self.value = value
        self.floor = floor
        self.valueClipped = valueClipped
        self.floorClipped = floorClipped
    }

    /// A metric's estimate: its reported value and whether that value was clipped.
    public struct Estimate: Sendable, Equatable {
        /// The metric's name.
        public let name: String
        /// The reported value (≥ 0 for distances).
        public let value: Double
        /// Whether the estimate of the squared distance was negative and the value is a clipped 0.
        public let clipped: Bool

        /// An estimate named `name`.
        public init(_ name: String, _ value: Double, clipped: Bool = false) {
            self.name = name
            self.value = value
            self.clipped = clipped
        }

        /// The square root of a squared-distance estimate `squared`, clipped at 0 (and said to be).
        public static func root(_ name: String, squared: Double) -> Estimate {
            Estimate(name, max(squared, 0).squareRoot(), clipped: squared < 0)
        }
    }

    /// `value` and `floor` paired from two estimates of the same metric.
    public init(value: Estimate, floor: Estimate) {
        self.init(name: value.name, value: value.value, floor: floor.value, valueClipped: value.clipped, floorClipped: floor.clipped)
    }
}
