import MidpointScoreModels

/// One way of calling a model on an Open Inference Protocol (KServe v2) server: REST with JSON or binary
/// tensors (``RESTInferenceClient``) or gRPC with raw tensors (``GRPCInferenceClient``).
///
/// Calls block the calling thread, never a Swift concurrency thread (the score protocol is synchronous
/// and is called from the evaluator's threads); ``RemoteScoreModel`` calls ``infer(samples:rows:times:into:)``
/// from several threads at once to keep requests in flight, so conformers must allow that.
public protocol InferenceTransport: AnyObject, Sendable {
    /// The server, for messages (`http://127.0.0.1:8080`, `grpc://127.0.0.1:8081`).
    var endpoint: String { get }
    /// How to call the model.
    var card: ModelCard { get }
    /// Timeout and retries per request.
    var options: RemoteCallOptions { get }
    /// The wire format in use, for reports: `REST/JSON`, `REST/binary`, `gRPC/raw`.
    var wireFormat: String { get }

    /// Waits until the server says the card's model is ready, at most `seconds`.
    func waitUntilReady(within seconds: Double) throws(RemoteModelError)

    /// The model's inputs and outputs as the server describes them.
    func metadata() throws(RemoteModelError) -> RemoteModelMetadata

    /// Evaluates the raw network on `rows` samples (row-major, `card.dimension` each, already in the
    /// network's variables) with one time input per row — and one class label per row for a card with a
    /// ``ModelCard/ClassInput`` — writing `rows × card.dimension` outputs.
    func infer(samples: UnsafeBufferPointer<Double>, rows: Int, times: UnsafeBufferPointer<Double>,
               labels: UnsafeBufferPointer<Int64>?, into output: UnsafeMutableBufferPointer<Double>) throws(RemoteModelError)

    /// The client's own share of one ``infer(samples:rows:times:into:)`` call, without the network:
    /// seconds to encode the request exactly as `infer` does and to decode an answer of the same size
    /// (built beforehand, outside the timing) into `output`. Used by ``CallProfile``.
    func clientSeconds(samples: UnsafeBufferPointer<Double>, rows: Int, times: UnsafeBufferPointer<Double>,
                       into output: UnsafeMutableBufferPointer<Double>) throws(RemoteModelError) -> Double
}

extension InferenceTransport {
    /// ``infer(samples:rows:times:labels:into:)`` without class labels (an unconditional model).
    public func infer(samples: UnsafeBufferPointer<Double>, rows: Int, times: UnsafeBufferPointer<Double>,
                      into output: UnsafeMutableBufferPointer<Double>) throws(RemoteModelError) {
        try infer(samples: samples, rows: rows, times: times, labels: nil, into: output)
    }
}
