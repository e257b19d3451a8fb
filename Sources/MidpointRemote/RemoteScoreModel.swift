import Foundation
import MidpointLinearAlgebra
import MidpointScoreModels

/// A score model served by an Open Inference Protocol server, called as its ``ModelCard`` says
/// (``CardScoreModel`` converts to the OU-time score).
///
/// Each batched evaluation reaches it whole (``scoresWholeBatches``) and becomes ⌈rows / maxBatchSize⌉
/// requests, `inFlight` of them at a time, so the number of requests and their concurrency depend only on
/// the options, never on the local thread count. NFE and rounds are counted by the evaluator like every
/// other model's. A failed request fills the batch with NaN and records the reason (``failure``), which
/// the run reports instead of a non-finite state.
public final class RemoteScoreModel: ScoreModel, @unchecked Sendable {
    /// The transport (server, card, call options).
    public let transport: any InferenceTransport
    private let adapter: CardScoreModel
    private let lock = NSLock()
    private var firstFailure: String?

    /// Class labels and guidance of a conditional model; nil for an unconditional one.
    public let conditioning: RemoteConditioning?

    /// A remote model through `transport`, conditioned as `conditioning` says (which needs a card with a
    /// class input).
    public init(transport: any InferenceTransport, conditioning: RemoteConditioning? = nil) {
        precondition(conditioning == nil || transport.card.classInput != nil, "conditioning needs a card with a class input")
        self.transport = transport
        self.conditioning = conditioning
        let splitter = RequestSplitter(transport: transport, conditioning: conditioning,
                                       unguided: Self.unguidedTimes(card: transport.card, ceiling: conditioning?.guidanceCeiling ?? .infinity))
        adapter = CardScoreModel(card: transport.card) { samples, times, output in
            splitter.evaluate(samples: samples, times: times, into: output)
        }
        splitter.owner = self
    }

    public var dimension: Int { transport.card.dimension }

    /// Which network time inputs lie at or above the guidance ceiling `σ/α = ceiling`, in the card's own
    /// time variable (increasing with the noise for DDPM steps, EDM's `σ` and OU time, decreasing for the
    /// log-SNR).
    static func unguidedTimes(card: ModelCard, ceiling: Double) -> @Sendable (Double) -> Bool {
        guard ceiling.isFinite else { return { (_: Double) -> Bool in false } }
        let edge: Double = card.networkInput(tau: ForwardProcess.tau(noiseToSignal: ceiling))
        let increasing: Bool = card.networkInput(tau: 2) > card.networkInput(tau: 1)
        if increasing { return { (t: Double) -> Bool in t >= edge } }
        return { (t: Double) -> Bool in t <= edge }
    }

    public var scoresWholeBatches: Bool { true }

    public var failure: String? {
        lock.lock(); defer { lock.unlock() }
        return firstFailure
    }

    func record(_ reason: String) {
        lock.lock(); defer { lock.unlock() }
        if firstFailure == nil { firstFailure = reason }
    }

    public func score(times: UnsafeBufferPointer<Double>, x: MatrixView, into scores: MutableMatrixView) {
        adapter.score(times: times, x: x, into: scores)
    }
}

/// Splits a batch into requests of at most `maxBatchSize` rows and runs `inFlight` of them at once,
/// each on a thread that blocks on its answer (an `OperationQueue` bounded to `inFlight`).
final class RequestSplitter: @unchecked Sendable {
    let transport: any InferenceTransport
    let conditioning: RemoteConditioning?
    /// Whether a row at this network time lies above the guidance ceiling.
    let unguided: @Sendable (Double) -> Bool
    weak var owner: RemoteScoreModel?

    init(transport: any InferenceTransport, conditioning: RemoteConditioning?, unguided: @escaping @Sendable (Double) -> Bool) {
        self.transport = transport
        self.conditioning = conditioning
        self.unguided = unguided
    }

    func evaluate(samples: MatrixView, times: UnsafeBufferPointer<Double>, into output: MutableMatrixView) {
        let rows = samples.rows, d = samples.columns
        var labels: [Int64]?
        if let conditioning {
            let n = conditioning.labels.count
            guard n > 0, rows % n == 0 else {
                owner?.record("a conditional model needs batches of whole blocks of the run's \(n) particles; this batch has \(rows) rows")
                for k in 0..<(rows * d) { output.base[k] = .nan }
                return
            }
            labels = (0..<rows).map { conditioning.labels[$0 % n] }
        }
        let batch = RequestBatch(transport: transport, rows: rows, dimension: d,
                                 input: UnsafeBufferPointer(start: samples.base, count: rows * d), times: times,
                                 output: UnsafeMutableBufferPointer(start: output.base, count: rows * d),
                                 labels: labels, conditioning: conditioning, unguided: unguided)
        if batch.requests <= 1 || transport.options.inFlight <= 1 {
            for r in 0..<batch.requests { batch.send(r) }
        } else {
            let queue = OperationQueue()
            queue.maxConcurrentOperationCount = transport.options.inFlight
            for r in 0..<batch.requests { queue.addOperation { batch.send(r) } }
            queue.waitUntilAllOperationsAreFinished()
        }
        if let reason = batch.failed.reason {
            owner?.record(reason)
            for k in 0..<(rows * d) { batch.output[k] = .nan }
        }
    }
}

/// One batch's buffers and its requests. The buffers outlive every request: the queue is drained before
/// ``RequestSplitter/evaluate(samples:times:into:)`` returns, and each request writes only its rows.
private struct RequestBatch: @unchecked Sendable {
    let transport: any InferenceTransport
    let rows: Int, dimension: Int
    let input: UnsafeBufferPointer<Double>
    let times: UnsafeBufferPointer<Double>
    let output: UnsafeMutableBufferPointer<Double>
    /// Each row's class label (conditional models).
    let labels: [Int64]?
    let conditioning: RemoteConditioning?
    let unguided: @Sendable (Double) -> Bool
    let failed = FailureFlag()

    /// Batch rows per request: half the request size when each request carries both guidance halves.
    var size: Int { max(transport.options.maxBatchSize / (conditioning?.rowsPerEvaluation ?? 1), 1) }
    var requests: Int { (rows + size - 1) / size }

    /// Request `r`: rows `[r·size, (r+1)·size)`.
    func send(_ r: Int) {
        // The batch is lost once one request fails: do not spend the others' timeouts and retries.
        guard failed.reason == nil else { return }
        let range = (r * size)..<min(rows, (r + 1) * size)
        let values = (range.lowerBound * dimension)..<(range.upperBound * dimension)
        let x = UnsafeBufferPointer(rebasing: input[values]), t = UnsafeBufferPointer(rebasing: times[range])
        let out = UnsafeMutableBufferPointer(rebasing: output[values])
        do {
            guard let labels, let conditioning else {
                try transport.infer(samples: x, rows: range.count, times: t, labels: nil, into: out)
                return
            }
            // Rows at or above the guidance ceiling take the conditional output (w = 1).
            let guided = conditioning.sendsBothHalves ? t.map { !unguided($0) } : []
            if !guided.contains(true) {
                // w = 1 (or every row above the ceiling): the conditional half alone; w = 0: the unconditional one.
                let sent = conditioning.guidance == 0 ? [Int64](repeating: conditioning.null, count: range.count) : Array(labels[range])
                try sent.withUnsafeBufferPointer { l throws(RemoteModelError) in
                    try transport.infer(samples: x, rows: range.count, times: t, labels: l, into: out)
                }
                return
            }
            // Both halves in one request: [x; x] at [t; t] with [labels; null], then o_u + w (o_c - o_u).
            let both = Array(x) + Array(x), bothTimes = Array(t) + Array(t)
            let bothLabels = Array(labels[range]) + [Int64](repeating: conditioning.null, count: range.count)
            var answer = [Double](repeating: 0, count: 2 * x.count)
            try both.withUnsafeBufferPointer { xp throws(RemoteModelError) in
                try bothTimes.withUnsafeBufferPointer { tp throws(RemoteModelError) in
                    try bothLabels.withUnsafeBufferPointer { lp throws(RemoteModelError) in
                        try answer.withUnsafeMutableBufferPointer { ap throws(RemoteModelError) in
                            try transport.infer(samples: xp, rows: 2 * range.count, times: tp, labels: lp, into: ap)
                        }
                    }
                }
            }
            let (d, w) = (dimension, conditioning.guidance)
            for i in 0..<range.count {
                let row = (i * d)..<((i + 1) * d)
                if guided[i] {
                    for k in row { out[k] = answer[x.count + k] + w * (answer[k] - answer[x.count + k]) }
                } else {
                    for k in row { out[k] = answer[k] }  // above the ceiling: the conditional half as it came
                }
            }
        } catch {
            failed.set("\(error)")
        }
    }
}

/// The first failure among concurrent requests.
private final class FailureFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var first: String?

    func set(_ reason: String) {
        lock.lock(); defer { lock.unlock() }
        if first == nil { first = reason }
    }

    var reason: String? {
        lock.lock(); defer { lock.unlock() }
        return first
    }
}
