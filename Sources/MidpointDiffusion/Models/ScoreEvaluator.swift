import Dispatch
import MidpointLinearAlgebra

/// The only way samplers reach a ``ScoreModel``: it splits each batched call into fixed-size row
/// chunks across threads and counts what the sampler spent.
///
/// - **Rounds** are sequential batched calls (what parallel-in-time sampling reduces): every call to
///   ``evaluate(times:x:into:)`` is one round, however many rows it carries.
/// - **NFE** is score evaluations per particle: the rows evaluated, divided by the particle count.
///
/// Because samplers cannot bypass it, they cannot miscount. Not thread-safe: one sampler drives it.
public final class ScoreEvaluator {
    /// The model being evaluated.
    public let model: any ScoreModel
    /// Particles in the run (the NFE denominator).
    public let particles: Int
    /// How calls are split across threads.
    public let chunks: RowChunks
    /// Batched calls so far.
    public private(set) var rounds = 0
    /// Rows evaluated so far, over all particles.
    public private(set) var rowEvaluations = 0
    /// Wall-clock seconds spent inside the model.
    public private(set) var modelSeconds = 0.0

    /// An evaluator of `model` for a run of `particles` particles.
    public init(model: any ScoreModel, particles: Int, chunks: RowChunks = RowChunks()) {
        precondition(particles > 0, "a run needs at least one particle")
        self.model = model
        self.particles = particles
        self.chunks = chunks
    }

    /// Score evaluations per particle so far (exact when every particle was evaluated equally often).
    public var nfe: Double { Double(rowEvaluations) / Double(particles) }

    /// Evaluates the score of every row of `x` at its own time into `scores`: one round.
    public func evaluate(times: [Double], x: Matrix, into scores: inout Matrix) {
        precondition(times.count == x.rows, "\(times.count) times for \(x.rows) rows")
        precondition(x.columns == model.dimension, "batch has \(x.columns) columns, model has \(model.dimension)")
        if scores.rows != x.rows || scores.columns != x.columns {
            scores = Matrix(rows: x.rows, columns: x.columns)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let model = self.model
        model.willScoreBatch(rows: x.rows)
        times.withUnsafeBufferPointer { t in
            let tb = UnsafeBufferPointerBox(t)
            x.withView { xv in
                scores.withMutableView { sv in
                    chunks.forEach(rows: xv.rows) { range in
                        model.score(times: tb.slice(range), x: xv.rows(range), into: sv.rows(range))
                    }
                }
            }
        }
        modelSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        rounds += 1
        rowEvaluations += x.rows
    }

    /// Evaluates every row of `x` at the same time `tau`: one round.
    public func evaluate(tau: Double, x: Matrix, into scores: inout Matrix) {
        evaluate(times: [Double](repeating: tau, count: x.rows), x: x, into: &scores)
    }
}
