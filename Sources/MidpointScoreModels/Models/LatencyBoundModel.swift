import Foundation
import MidpointLinearAlgebra

/// Wraps a score model and adds a fixed delay to every batched call, whatever its size — the cost
/// profile of a remote model or a GPU kernel launch, where a round's latency dominates and a larger
/// batch is nearly free. Used to show the wall-clock effect of fewer rounds honestly.
public struct LatencyBoundModel: ScoreModel {
    /// The wrapped model.
    public let base: any ScoreModel
    /// The delay per batched call, in seconds.
    public let latency: Double
    /// The allowed delays, in seconds.
    public static let latencyRange: ClosedRange<Double> = 0...60

    /// `base` with `latency` seconds added to every batched call.
    public init(_ base: any ScoreModel, latency: Double) {
        precondition(latency.isFinite && latency >= 0, "latency must be finite and ≥ 0")
        self.base = base
        self.latency = latency
    }

    public var dimension: Int { base.dimension }

    public func willScoreBatch(rows: Int) {
        base.willScoreBatch(rows: rows)
        if latency > 0 { Thread.sleep(forTimeInterval: latency) }
    }

    public func score(times: UnsafeBufferPointer<Double>, x: MatrixView, into scores: MutableMatrixView) {
        base.score(times: times, x: x, into: scores)
    }

    public var failure: String? { base.failure }

    public var scoresWholeBatches: Bool { base.scoresWholeBatches }
}
