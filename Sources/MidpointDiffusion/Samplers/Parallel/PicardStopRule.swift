/// When a Picard iteration over a window stops.
public struct PicardStopRule: Sendable, Equatable {
    /// The most rounds per window; nil takes ``automaticRounds(steps:)`` for a window of `n` steps.
    public var maxRounds: Int?
    /// Stop early once the largest change of a grid state in a round, per coordinate and in units of
    /// `σ(τ)` at its time (`‖Δz‖ / (√d σ)`), is below this. Zero (the default) never stops early: the
    /// largest change is taken over the whole batch, so an early stop makes a particle's path depend on
    /// the particles it runs with.
    public var tolerance: Double

    /// A rule; the defaults are documented in `docs/parallel.md`.
    public init(maxRounds: Int? = nil, tolerance: Double = 0) {
        self.maxRounds = maxRounds
        self.tolerance = tolerance
    }

    /// Rounds for a window of `n` steps when ``maxRounds`` is nil: `max(5, ⌈n/2⌉)`, at most `2n` (which
    /// reaches the fixed point exactly). Measured with the Newton-corrected iteration on one window
    /// (`docs/parallel.md`): at 24 steps within 1% of sequential `rm` on `mixture64` and `product1024` in
    /// 13 rounds against 49; at 9 steps within 2% on `product1024` in 6 rounds against 19, while
    /// `mixture64` needs 9 (`maxRounds` 8) for 1.4%.
    public static func automaticRounds(steps n: Int) -> Int { min(max(5, (n + 1) / 2), 2 * n) }

    /// The rounds for a window of `n` steps.
    public func rounds(steps n: Int) -> Int { maxRounds ?? Self.automaticRounds(steps: n) }

    /// The allowed rounds per window.
    public static let roundsRange = 1...10_000

    /// Throws unless the rule is usable, naming its values by `sampler`'s tuning keys.
    public func validate(sampler: String) throws(SamplingError) {
        if let maxRounds, !Self.roundsRange.contains(maxRounds) {
            throw .invalidSetting(sampler: sampler, key: "picard-rounds", value: "\(maxRounds)", allowed: "must be in \(Self.roundsRange)")
        }
        guard tolerance.isFinite, tolerance >= 0 else {
            throw .invalidSetting(sampler: sampler, key: "picard-tolerance", value: "\(tolerance)", allowed: "must be finite and ≥ 0")
        }
    }
}
