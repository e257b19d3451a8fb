import Foundation

/// What a run's sampler reports besides its samples: for a Picard solver, how far from converged its
/// windows stopped (``picardResidual``). Filled during the run, read into ``DiffusionResult``.
public final class SamplingDiagnostics: @unchecked Sendable {
    private let lock = NSLock()
    private var residual: Double?

    /// Empty diagnostics.
    public init() {}

    /// Records a Picard window's last-round change (the solver's own measure, relative to the states);
    /// the run keeps the largest.
    public func recordPicardResidual(_ change: Double) {
        lock.lock(); defer { lock.unlock() }
        residual = max(residual ?? 0, change)
    }

    /// The largest last-round change over the run's Picard windows; nil for a sampler without them.
    public var picardResidual: Double? {
        lock.lock(); defer { lock.unlock() }
        return residual
    }
}
