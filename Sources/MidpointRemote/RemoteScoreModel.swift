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

    /// A remote model through `transport`.
    public init(transport: any InferenceTransport) {
        self.transport = transport
        let splitter = RequestSplitter(transport: transport)
        adapter = CardScoreModel(card: transport.card) { samples, times, output in
            splitter.evaluate(samples: samples, times: times, into: output)
        }
        splitter.owner = self
    }

    public var dimension: Int { transport.card.dimension }

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
    weak var owner: RemoteScoreModel?

    init(transport: any InferenceTransport) { self.transport = transport }

    func evaluate(samples: MatrixView, times: UnsafeBufferPointer<Double>, into output: MutableMatrixView) {
        let rows = samples.rows, d = samples.columns
        let batch = RequestBatch(transport: transport, rows: rows, dimension: d,
                                 input: UnsafeBufferPointer(start: samples.base, count: rows * d), times: times,
                                 output: UnsafeMutableBufferPointer(start: output.base, count: rows * d))
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
    let failed = FailureFlag()

    var size: Int { transport.options.maxBatchSize }
    var requests: Int { (rows + size - 1) / size }

    /// Request `r`: rows `[r·size, (r+1)·size)`.
    func send(_ r: Int) {
        // The batch is lost once one request fails: do not spend the others' timeouts and retries.
        guard failed.reason == nil else { return }
        let range = (r * size)..<min(rows, (r + 1) * size)
        let values = (range.lowerBound * dimension)..<(range.upperBound * dimension)
        do {
            try transport.infer(samples: UnsafeBufferPointer(rebasing: input[values]), rows: range.count,
                                times: UnsafeBufferPointer(rebasing: times[range]),
                                into: UnsafeMutableBufferPointer(rebasing: output[values]))
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
