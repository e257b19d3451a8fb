import Dispatch
import MidpointLinearAlgebra

/// The counted evaluator of a ``ScoreModel``: the only way samplers reach a model (see
/// ``CountedEvaluator`` for what it counts). NFE is score evaluations per particle.
public typealias ScoreEvaluator = CountedEvaluator<any ScoreModel>

extension CountedEvaluator where Function == any ScoreModel {
    /// An evaluator of `model` for a run of `particles` particles.
    public convenience init(model: any ScoreModel, particles: Int, chunks: RowChunks = RowChunks()) {
        self.init(model, particles: particles, chunks: chunks)
    }

    /// The model being evaluated.
    public var model: any ScoreModel { function }
    /// Score evaluations per particle so far.
    public var nfe: Double { evaluationsPerParticle }
    /// Wall-clock seconds spent inside the model.
    public var modelSeconds: Double { seconds }

    /// Evaluates the score of every row of `x` at its own time into `scores`: one round.
    public func evaluate(times: [Double], x: Matrix, into scores: inout Matrix) {
        if scores.rows != x.rows || scores.columns != x.columns {
            scores = Matrix(rows: x.rows, columns: x.columns)
        }
        x.withView { xv in
            scores.withMutableView { sv in evaluate(times: times, x: xv, into: sv) }
        }
    }

    /// Evaluates the score of every row of `x` at its own time into `scores` (same shape): one round.
    /// The form for workspace buffers, which are views rather than ``Matrix`` values.
    public func evaluate(times: [Double], x: MatrixView, into scores: MutableMatrixView) {
        precondition(times.count == x.rows, "\(times.count) times for \(x.rows) rows")
        precondition(x.columns == model.dimension, "batch has \(x.columns) columns, model has \(model.dimension)")
        precondition(scores.rows == x.rows && scores.columns == x.columns, "scores must have the shape of x")
        let model = self.model
        let start = DispatchTime.now().uptimeNanoseconds
        model.willScoreBatch(rows: x.rows)
        addSeconds(since: start)
        times.withUnsafeBufferPointer { t in
            let tb = UnsafeBufferPointerBox(t)
            round(rows: x.rows, inOneCall: model.scoresWholeBatches) { range in
                model.score(times: tb.slice(range), x: x.rows(range), into: scores.rows(range))
            }
        }
    }

    /// Evaluates every row of `x` at the same time `tau`: one round.
    public func evaluate(tau: Double, x: Matrix, into scores: inout Matrix) {
        evaluate(times: [Double](repeating: tau, count: x.rows), x: x, into: &scores)
    }

    /// Evaluates every row of `x` at the same time `tau` into `scores` (same shape): one round.
    public func evaluate(tau: Double, x: MatrixView, into scores: MutableMatrixView) {
        evaluate(times: [Double](repeating: tau, count: x.rows), x: x, into: scores)
    }
}
