import Dispatch

/// The one way samplers reach the function they sample with — a diffusion ``ScoreModel``'s score or a
/// log-concave potential's gradient: it splits each batched call into fixed-size row chunks across
/// threads (``RowChunks``) and counts what the sampler spent.
///
/// - A **round** is one sequential batched call (what parallel-in-time sampling reduces), however
///   many rows it carries.
/// - **Evaluations per particle** (NFE for diffusion, gradients per chain for MCMC) is the rows
///   evaluated divided by the particle count: exact when every particle was evaluated equally often.
///
/// The function-specific calls live in constrained extensions next to each function's protocol
/// (`ScoreEvaluator`, `GradientEvaluator`); they all go through ``round(rows:_:)``, so no sampler can
/// evaluate without being counted. Not thread-safe: one sampler drives it.
public final class CountedEvaluator<Function: Sendable> {
    /// The function being evaluated.
    public let function: Function
    /// Particles (or chains) in the run: the per-particle denominator.
    public let particles: Int
    /// How calls are split across threads.
    public let chunks: RowChunks
    /// Batched calls so far.
    public private(set) var rounds = 0
    /// Rows evaluated so far, over all particles.
    public private(set) var rowEvaluations = 0
    /// Wall-clock seconds spent inside the function.
    public private(set) var seconds = 0.0

    /// An evaluator of `function` for a run of `particles` particles.
    public init(_ function: Function, particles: Int, chunks: RowChunks = RowChunks()) {
        precondition(particles > 0, "a run needs at least one particle")
        self.function = function
        self.particles = particles
        self.chunks = chunks
    }

    /// Evaluations per particle so far.
    public var evaluationsPerParticle: Double { Double(rowEvaluations) / Double(particles) }

    /// One counted round over a batch of `rows` rows: `body` runs once per fixed-size chunk, possibly
    /// concurrently, and must write only its chunk's rows — or, with `inOneCall`, once over all rows on
    /// the caller's thread (for a function that splits and parallelizes the batch itself).
    public func round(rows: Int, inOneCall: Bool = false, _ body: @Sendable (Range<Int>) -> Void) {
        let start = DispatchTime.now().uptimeNanoseconds
        if inOneCall {
            body(0..<rows)
        } else {
            chunks.forEach(rows: rows, body)
        }
        seconds += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        rounds += 1
        rowEvaluations += rows
    }

    /// Adds the time of per-call work done outside ``round(rows:_:)`` (a model's per-batch latency).
    public func addSeconds(since start: UInt64) {
        seconds += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }
}
