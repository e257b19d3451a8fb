import Foundation
import MidpointLinearAlgebra
import MidpointScoreModels

/// A score model served by an Open Inference Protocol server (``InferenceClient``), called as its
/// ``ModelCard`` says: each chunk of a batched evaluation is one request (the evaluator's fixed-size
/// chunks cap the rows per request, and its threads keep several in flight). NFE and rounds are counted by
/// the evaluator like every other model's. A failed request fills its rows with NaN and records the
/// reason (``failure``), which the run reports.
public final class RemoteScoreModel: ScoreModel, @unchecked Sendable {
    /// The client (server, card, timeout, retries).
    public let client: InferenceClient
    private let adapter: CardScoreModel
    private let lock = NSLock()
    private var firstFailure: String?

    /// A remote model through `client`.
    public init(client: InferenceClient) {
        self.client = client
        let box = ClientBox(client: client)
        adapter = CardScoreModel(card: client.card) { samples, times, output in
            box.evaluate(samples: samples, times: times, into: output)
        }
        box.owner = self
    }

    public var dimension: Int { client.card.dimension }

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

/// Runs one blocking request on behalf of a worker thread (the score protocol is synchronous).
final class ClientBox: @unchecked Sendable {
    let client: InferenceClient
    weak var owner: RemoteScoreModel?

    init(client: InferenceClient) { self.client = client }

    func evaluate(samples: MatrixView, times: UnsafeBufferPointer<Double>, into output: MutableMatrixView) {
        let rows = samples.rows, d = samples.columns
        let input = (0..<(rows * d)).map { samples.base[$0] }
        do {
            let values = try client.infer(samples: input, rows: rows, times: Array(times))
            for k in 0..<(rows * d) { output.base[k] = values[k] }
        } catch {
            owner?.record(error.description)
            for k in 0..<(rows * d) { output.base[k] = .nan }
        }
    }
}

