/// When a Picard iteration over a window stops.
public struct PicardStopRule: Sendable, Equatable {
    /// The most rounds per window.
    public var maxRounds: Int
    /// Stop early once the largest change of a grid state in a round, per coordinate and in units of
    /// `σ(τ)` at its time (`‖Δz‖ / (√d σ)`), is below this. Zero never stops early.
    public var tolerance: Double

    /// A rule; the defaults are documented in the README.
    public init(maxRounds: Int, tolerance: Double) {
        self.maxRounds = maxRounds
        self.tolerance = tolerance
    }

    /// Throws unless the rule is usable.
    public func validate() throws(SamplingError) {
        guard maxRounds >= 1 else {
            throw .invalidParameter(name: "Picard rounds", value: "\(maxRounds)", allowed: "must be ≥ 1")
        }
        guard tolerance.isFinite, tolerance >= 0 else {
            throw .invalidParameter(name: "Picard tolerance", value: "\(tolerance)", allowed: "must be finite and ≥ 0")
        }
    }
}
