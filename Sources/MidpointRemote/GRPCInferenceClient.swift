import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import MidpointScoreModels

/// A client of one model on an Open Inference Protocol server over gRPC (`inference.GRPCInferenceService`,
/// generated from proto/open_inference_grpc.proto): tensors travel as `raw_input_contents` /
/// `raw_output_contents` (little-endian bytes, no text), the fast path on MLServer and Triton.
///
/// Calls block the calling thread; the RPCs run on ``BlockingExecutor``. Each call has the options'
/// timeout as its deadline; UNAVAILABLE and RESOURCE_EXHAUSTED are retried with exponential backoff
/// (0.1 s, 0.2 s, …); other codes fail at once with the server's message.
public final class GRPCInferenceClient: InferenceTransport {
    public let endpoint: String
    public let card: ModelCard
    public let options: RemoteCallOptions
    /// The shapes of the per-row inputs (time, class label) in every request.
    public let rowInputs: RowInputShapes
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    let service: Inference_GRPCInferenceService.Client<HTTP2ClientTransport.Posix>

    /// A client of `card.name` at `host:port` (plaintext HTTP/2) sending the per-row inputs as `rowInputs`.
    public init(host: String, port: Int, card: ModelCard, options: RemoteCallOptions = RemoteCallOptions(),
                rowInputs: RowInputShapes = .vectors) throws(RemoteModelError) {
        endpoint = "grpc://\(host):\(port)"
        self.card = card
        self.options = options
        self.rowInputs = rowInputs
        do {
            // Frames of up to 1 MiB and a 64 MiB window: a request or answer of megabytes then crosses in a
            // few frames instead of hundreds of 16 KiB ones (measured: docs/remote.md).
            let config = HTTP2ClientTransport.Posix.Config.defaults { config in
                config.http2.maxFrameSize = 1 << 20
                config.http2.targetWindowSize = 64 << 20
            }
            let transport = try HTTP2ClientTransport.Posix(target: .dns(host: host, port: port), transportSecurity: .plaintext,
                                                           config: config)
            client = GRPCClient(transport: transport)
        } catch {
            throw .badURL(url: "grpc://\(host):\(port)", reason: "\(error)")
        }
        service = Inference_GRPCInferenceService.Client(wrapping: client)
        let client = self.client
        BlockingExecutor.shared.start { try? await client.runConnections() }
    }

    deinit { client.beginGracefulShutdown() }

    public var wireFormat: String { "gRPC/raw" }

    /// Per-call options: the deadline, and no message-size cap below what a request of the options'
    /// batch size needs (the transport's default is 4 MiB).
    var callOptions: CallOptions {
        var call = CallOptions.defaults
        call.timeout = .milliseconds(Int64(options.timeout * 1000))
        call.maxRequestMessageBytes = 1 << 30
        call.maxResponseMessageBytes = 1 << 30
        return call
    }

    public func waitUntilReady(within seconds: Double) throws(RemoteModelError) {
        let deadline = Date().addingTimeInterval(seconds)
        var request = Inference_ModelReadyRequest()
        request.name = card.name
        let service = self.service
        var call = callOptions
        call.timeout = .seconds(min(seconds, 2))
        let single = call, frozen = request
        var last = "none"
        repeat {
            do {
                if try BlockingExecutor.shared.run({ try await service.modelReady(frozen, options: single).ready }) { return }
                last = "ready: false"
            } catch let error as RPCError {
                last = "\(error.code): \(error.message)"
            } catch {
                last = "\(error)"
            }
            Thread.sleep(forTimeInterval: 0.25)
        } while Date() < deadline
        throw .notReady(url: "\(endpoint) ModelReady(\(card.name))", last: last)
    }

    public func metadata() throws(RemoteModelError) -> RemoteModelMetadata {
        var request = Inference_ModelMetadataRequest()
        request.name = card.name
        let service = self.service, call = callOptions, frozen = request
        let response = try withRetries("ModelMetadata") { try await service.modelMetadata(frozen, options: call) }
        func tensors(_ list: [Inference_ModelMetadataResponse.TensorMetadata]) -> [RemoteModelMetadata.Tensor] {
            list.map { .init(name: $0.name, datatype: $0.datatype, shape: $0.shape.map { Int($0) }) }
        }
        return RemoteModelMetadata(inputs: tensors(response.inputs), outputs: tensors(response.outputs))
    }

    public func infer(samples: UnsafeBufferPointer<Double>, rows: Int, times: UnsafeBufferPointer<Double>,
                      labels: UnsafeBufferPointer<Int64>?, into output: UnsafeMutableBufferPointer<Double>) throws(RemoteModelError) {
        let request = inferRequest(samples: samples, rows: rows, times: times, labels: labels)
        var call = callOptions
        // The answer holds rows × d values of the card's width; 1 MiB more covers the message around them
        // (typed contents are wider, but the answer is read only if it fits the raw size's bound).
        call.maxResponseMessageBytes = rows * card.dimension * max(RawTensor.width(card.dtype), 8) + (1 << 20)
        let service = self.service, frozen = call
        let response = try withRetries("ModelInfer") { try await service.modelInfer(request, options: frozen) }
        try decode(response, count: rows * card.dimension, into: output)
    }

    /// Encoding and decoding without the network: the request built and serialized as gRPC would,
    /// and a raw answer of the same size parsed and decoded.
    public func clientSeconds(samples: UnsafeBufferPointer<Double>, rows: Int, times: UnsafeBufferPointer<Double>,
                              into output: UnsafeMutableBufferPointer<Double>) throws(RemoteModelError) -> Double {
        var tensor = Inference_ModelInferResponse.InferOutputTensor()
        tensor.name = card.outputTensor
        tensor.datatype = card.dtype
        tensor.shape = ([rows] + card.sampleShape).map { Int64($0) }
        var answer = Inference_ModelInferResponse()
        answer.modelName = card.name
        answer.outputs = [tensor]
        answer.rawOutputContents = [RawTensor.bytes(samples, dtype: card.dtype)]
        let url = "\(endpoint) (offline)"
        do {
            let bytes: [UInt8] = try answer.serializedBytes()
            let start = DispatchTime.now().uptimeNanoseconds
            let request: [UInt8] = try inferRequest(samples: samples, rows: rows, times: times).serializedBytes()
            precondition(!request.isEmpty)
            let parsed = try Inference_ModelInferResponse(serializedBytes: bytes)
            try decode(parsed, count: rows * card.dimension, into: output)
            return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        } catch let error as RemoteModelError {
            throw error
        } catch {
            throw .badResponse(url: url, reason: "protobuf: \(error)")
        }
    }

    /// The ModelInfer request: every input tensor as raw little-endian bytes.
    func inferRequest(samples: UnsafeBufferPointer<Double>, rows: Int, times: UnsafeBufferPointer<Double>,
                      labels: UnsafeBufferPointer<Int64>? = nil) -> Inference_ModelInferRequest {
        var request = Inference_ModelInferRequest()
        request.modelName = card.name
        var sample = Inference_ModelInferRequest.InferInputTensor()
        sample.name = card.sampleTensor
        sample.datatype = card.dtype
        sample.shape = ([rows] + card.sampleShape).map { Int64($0) }
        var time = Inference_ModelInferRequest.InferInputTensor()
        time.name = card.timeTensor
        time.datatype = card.dtype
        time.shape = rowInputs.time(rows: rows).map { Int64($0) }
        var wanted = Inference_ModelInferRequest.InferRequestedOutputTensor()
        wanted.name = card.outputTensor
        request.inputs = [sample, time]
        request.outputs = [wanted]
        request.rawInputContents = [RawTensor.bytes(samples, dtype: card.dtype), RawTensor.bytes(times, dtype: card.dtype)]
        if let labels, let classInput = card.classInput {
            var label = Inference_ModelInferRequest.InferInputTensor()
            label.name = classInput.tensor
            label.datatype = "INT64"
            label.shape = rowInputs.label(rows: rows).map { Int64($0) }
            request.inputs.append(label)
            request.rawInputContents.append(RawTensor.bytes(labels: labels))
        }
        return request
    }

    /// Reads the card's output tensor from raw bytes (or typed contents, if the server sent those).
    func decode(_ response: Inference_ModelInferResponse, count: Int, into output: UnsafeMutableBufferPointer<Double>) throws(RemoteModelError) {
        let url = "\(endpoint) ModelInfer(\(card.name))"
        let answer = TensorAnswer(url: url, card: card, count: count)
        let index = try answer.outputIndex(names: response.outputs.map(\.name))
        let tensor = response.outputs[index]
        let datatype = try answer.checkDatatype(tensor.datatype)
        try answer.checkShape(tensor.shape.isEmpty ? nil : tensor.shape.map { Int($0) })
        if index < response.rawOutputContents.count {
            let bytes = response.rawOutputContents[index]
            try answer.checkBytes(bytes.count, datatype: datatype)
            _ = RawTensor.decode(bytes, datatype: datatype, count: count, into: output)
        } else if datatype == "FP64" {
            try answer.checkCount(tensor.contents.fp64Contents.count)
            for k in 0..<count { output[k] = tensor.contents.fp64Contents[k] }
        } else {
            try answer.checkCount(tensor.contents.fp32Contents.count)
            for k in 0..<count { output[k] = Double(tensor.contents.fp32Contents[k]) }
        }
        try answer.checkFinite(output)
    }

    /// One RPC with retries on UNAVAILABLE / RESOURCE_EXHAUSTED; other errors become RemoteModelError.
    func withRetries<T: Sendable>(_ method: String, _ rpc: @escaping @Sendable () async throws -> T) throws(RemoteModelError) -> T {
        let url = "\(endpoint) \(method)(\(card.name))"
        var attempt = 0
        while true {
            do {
                return try BlockingExecutor.shared.run(rpc)
            } catch let error as RPCError {
                // A message over a size limit is RESOURCE_EXHAUSTED too, but retrying cannot help it.
                let tooLarge = error.code == .resourceExhausted && error.message.lowercased().contains("size")
                if tooLarge {
                    throw .status(url: url, code: error.code.rawValue, body: "\(error.code): \(error.message) (use a smaller --max-batch-size)")
                }
                if [.unavailable, .resourceExhausted].contains(error.code), attempt < options.retries {
                    attempt += 1
                    Thread.sleep(forTimeInterval: RemoteCallOptions.backoff(attempt: attempt))
                    continue
                }
                switch error.code {
                case .unavailable, .deadlineExceeded: throw .unreachable(url: url, reason: "\(error.code): \(error.message)")
                default: throw .status(url: url, code: error.code.rawValue, body: "\(error.code): \(error.message)")
                }
            } catch {
                throw .unreachable(url: url, reason: "\(error)")
            }
        }
    }
}
