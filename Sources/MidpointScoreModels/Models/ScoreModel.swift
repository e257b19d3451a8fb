import MidpointLinearAlgebra

/// A (batched) score model: `s(τ, x) = ∇ log q_τ(x)` for each row of a batch, each at its own time.
///
/// Rows carry their own time because samplers evaluate particles at different times (a random
/// midpoint per particle, Picard iterates at different sub-steps). Exact targets and learned networks
/// both conform; samplers never call a model directly but through a ``ScoreEvaluator``, which counts
/// every evaluation.
///
/// Conformers must be safe to call concurrently on disjoint row blocks: any scratch memory is
/// allocated per call (a call covers a chunk of rows, never one element).
public protocol ScoreModel: Sendable {
    /// The dimension `d` of a row.
    var dimension: Int { get }

    /// Writes `s(times[i], x[i, ·])` into row `i` of `scores` for every row `i` of `x`.
    ///
    /// - Precondition: `times.count == x.rows == scores.rows` and both views have `dimension` columns.
    func score(times: UnsafeBufferPointer<Double>, x: MatrixView, into scores: MutableMatrixView)

    /// Called once per batched call (one round), before its chunks are scored, with the batch's row
    /// count. Models with a per-call cost (a remote service, a GPU launch) pay it here; the default
    /// does nothing.
    func willScoreBatch(rows: Int)

    /// Why the model could not score a batch (a remote model's lost connection, a refused request), if
    /// it failed. A failing model writes NaN scores, which stop the sampler; the run then reports this
    /// instead of a non-finite state. The default is nil: an in-process model cannot fail.
    var failure: String? { get }

    /// Whether the model takes each round's whole batch in one call instead of fixed-size chunks spread
    /// over the evaluator's threads. A remote model does: it splits the batch into requests of the
    /// server's batch size and keeps several in flight, which no number of local threads should limit.
    /// The default is false.
    var scoresWholeBatches: Bool { get }
}

extension ScoreModel {
    public func willScoreBatch(rows: Int) {}
    public var failure: String? { nil }
    public var scoresWholeBatches: Bool { false }
}

extension ScoreModel {
    /// The score at one point (a convenience for tests and tools; batched calls are the fast path).
    public func score(tau: Double, at x: [Double]) -> [Double] {
        precondition(x.count == dimension, "point has \(x.count) coordinates, model has \(dimension)")
        var out = [Double](repeating: 0, count: dimension)
        [tau].withUnsafeBufferPointer { t in
            x.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { o in
                    score(times: t, x: MatrixView(base: xp.baseAddress!, rows: 1, columns: dimension),
                          into: MutableMatrixView(base: o.baseAddress!, rows: 1, columns: dimension))
                }
            }
        }
        return out
    }
}
