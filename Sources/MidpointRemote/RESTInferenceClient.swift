import AsyncHTTPClient
import Foundation
import MidpointScoreModels
import NIOCore
import NIOHTTP1

/// A client of one model on an Open Inference Protocol (KServe v2) server over REST: JSON tensors, or
/// the binary tensor extension (`Inference-Header-Content-Length`, raw little-endian bytes after a JSON
/// header) when the server's `GET /v2` lists `binary_tensor_data` among its extensions (Triton does;
/// MLServer 1.7 does not, and answers such requests with 422/500).
///
/// Calls block the calling thread on the HTTP client's future, never a Swift concurrency thread.
/// Requests time out after `options.timeout`; connection errors and 429/503 answers are retried with
/// exponential backoff (0.1 s, 0.2 s, …) up to `options.retries` times; other 4xx/5xx answers fail at
/// once with the server's body.
public final class RESTInferenceClient: InferenceTransport {
    /// The server's base URL, e.g. `http://127.0.0.1:8080`.
    public let endpoint: String
    public let card: ModelCard
    public let options: RemoteCallOptions
    /// Whether requests use the binary tensor extension (decided once, from the server's extensions).
    public let binary: Bool
    /// The shapes of the per-row inputs (time, class label) in every request.
    public let rowInputs: RowInputShapes
    let http: HTTPClient

    /// A client of `card.name` at `baseURL`. With `binary` nil the server's `GET /v2` decides (binary
    /// when it lists `binary_tensor_data`, JSON when it does not or does not answer). The per-row inputs
    /// are sent as `rowInputs`.
    public init(baseURL: String, card: ModelCard, options: RemoteCallOptions = RemoteCallOptions(), binary: Bool? = nil,
                rowInputs: RowInputShapes = .vectors) {
        endpoint = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.card = card
        self.options = options
        self.rowInputs = rowInputs
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(8, options.inFlight)
        // A redirect could lead anywhere, even to another model: the answer must come from the URL asked.
        configuration.redirectConfiguration = .disallow
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        if let binary {
            self.binary = binary
        } else {
            self.binary = Self.listsBinaryExtension(http: http, url: "\(endpoint)/v2", timeout: options.timeout)
        }
    }

    deinit { try? http.syncShutdown() }

    public var wireFormat: String { binary ? "REST/binary" : "REST/JSON" }

    /// The model's name as a URL path segment.
    var modelPath: String { card.name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? card.name }

    /// A string as a JSON string literal (quotes and escapes included).
    static func quoted(_ text: String) -> String {
        (try? JSONEncoder().encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    static func listsBinaryExtension(http: HTTPClient, url: String, timeout: Double) -> Bool {
        guard let request = try? HTTPClient.Request(url: url, method: .GET),
              let response = try? http.execute(request: request, deadline: .now() + .milliseconds(Int64(timeout * 1000))).wait(),
              response.status == .ok, let body = response.body,
              let root = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
              let extensions = root["extensions"] as? [String] else { return false }
        return extensions.contains("binary_tensor_data")
    }

    public func waitUntilReady(within seconds: Double) throws(RemoteModelError) {
        let url = "\(endpoint)/v2/models/\(modelPath)/ready"
        let deadline = Date().addingTimeInterval(seconds)
        var last = "none"
        repeat {
            do {
                let (status, data, _) = try send(url: url, method: .GET, body: nil, retries: 0,
                                                 timeout: max(0.1, min(options.timeout, deadline.timeIntervalSinceNow)))
                if status == 200 { return }
                last = "\(status) \(String(decoding: data.prefix(200), as: UTF8.self))"
            } catch {
                last = error.description
            }
            Thread.sleep(forTimeInterval: 0.25)
        } while Date() < deadline
        throw .notReady(url: url, last: last)
    }

    public func metadata() throws(RemoteModelError) -> RemoteModelMetadata {
        let url = "\(endpoint)/v2/models/\(modelPath)"
        let (status, data, _) = try send(url: url, method: .GET, body: nil, retries: options.retries)
        guard status == 200 else { throw .status(url: url, code: status, body: String(decoding: data, as: UTF8.self)) }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .badResponse(url: url, reason: "the model metadata is not a JSON object")
        }
        func tensors(_ key: String) -> [RemoteModelMetadata.Tensor] {
            (root[key] as? [[String: Any]] ?? []).compactMap { t in
                guard let name = t["name"] as? String else { return nil }
                return .init(name: name, datatype: t["datatype"] as? String ?? "", shape: (t["shape"] as? [NSNumber] ?? []).map(\.intValue))
            }
        }
        return RemoteModelMetadata(inputs: tensors("inputs"), outputs: tensors("outputs"))
    }

    public func infer(samples: UnsafeBufferPointer<Double>, rows: Int, times: UnsafeBufferPointer<Double>,
                      labels: UnsafeBufferPointer<Int64>?, into output: UnsafeMutableBufferPointer<Double>) throws(RemoteModelError) {
        let url = "\(endpoint)/v2/models/\(modelPath)/infer"
        let (request, headerLength) = binary ? binaryRequest(samples: samples, rows: rows, times: times, labels: labels)
                                             : (jsonRequest(samples: samples, rows: rows, times: times, labels: labels), nil)
        // The answer holds rows × d values: at most 32 bytes each as JSON text (a shortest-form double and a
        // comma), their width as raw bytes; 1 MiB more covers the JSON around them.
        let maxAnswerBytes = rows * card.dimension * (binary ? RawTensor.width(card.dtype) : 32) + (1 << 20)
        let (status, data, responseHeaderLength) = try send(url: url, method: .POST, body: request, retries: options.retries,
                                                            headerLength: headerLength, maxAnswerBytes: maxAnswerBytes)
        guard status == 200 else { throw .status(url: url, code: status, body: String(decoding: data.count > 16_384 ? data.prefix(2_000) + data.suffix(14_000) : data, as: UTF8.self)) }
        let decoder = TensorAnswer(url: url, card: card, count: rows * card.dimension)
        if let responseHeaderLength {
            try decoder.decodeBinary(data, headerLength: responseHeaderLength, into: output)
        } else {
            try decoder.decodeJSON(data, into: output)
        }
    }

    public func clientSeconds(samples: UnsafeBufferPointer<Double>, rows: Int, times: UnsafeBufferPointer<Double>,
                              into output: UnsafeMutableBufferPointer<Double>) throws(RemoteModelError) -> Double {
        let decoder = TensorAnswer(url: "\(endpoint) (offline)", card: card, count: rows * card.dimension)
        let shape = "[\(rows),\(card.sampleShape.map(String.init).joined(separator: ","))]"
        if binary {
            let header = Data(#"{"outputs":[{"name":\#(Self.quoted(card.outputTensor)),"datatype":"\#(card.dtype)","shape":\#(shape),"parameters":{"binary_data_size":\#(samples.count * RawTensor.width(card.dtype))}}]}"#.utf8)
            let answer = header + RawTensor.bytes(samples, dtype: card.dtype)
            let start = DispatchTime.now().uptimeNanoseconds
            _ = binaryRequest(samples: samples, rows: rows, times: times)
            try decoder.decodeBinary(answer, headerLength: header.count, into: output)
            return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        }
        var text = #"{"outputs":[{"name":\#(Self.quoted(card.outputTensor)),"datatype":"\#(card.dtype)","shape":\#(shape),"data":["#
        Self.append(samples, to: &text, float32: card.dtype == "FP32")
        text += "]}]}"
        let answer = Data(text.utf8)
        let start = DispatchTime.now().uptimeNanoseconds
        _ = jsonRequest(samples: samples, rows: rows, times: times)
        try decoder.decodeJSON(answer, into: output)
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    /// A JSON request body: both tensors' values in shortest round-trip decimal, so FP64 is exact.
    func jsonRequest(samples: UnsafeBufferPointer<Double>, rows: Int, times: UnsafeBufferPointer<Double>,
                     labels: UnsafeBufferPointer<Int64>? = nil) -> Data {
        let shape = ([rows] + card.sampleShape).map(String.init).joined(separator: ",")
        var body = "{\"inputs\":[{\"name\":\(Self.quoted(card.sampleTensor)),\"shape\":[\(shape)],\"datatype\":\"\(card.dtype)\",\"data\":["
        body.reserveCapacity(samples.count * 22 + times.count * 22 + 200)
        Self.append(samples, to: &body, float32: card.dtype == "FP32")
        body += "]},{\"name\":\(Self.quoted(card.timeTensor)),\"shape\":\(Self.json(rowInputs.time(rows: rows))),\"datatype\":\"\(card.dtype)\",\"data\":["
        Self.append(times, to: &body, float32: card.dtype == "FP32")
        if let labels, let classInput = card.classInput {
            body += "]},{\"name\":\(Self.quoted(classInput.tensor)),\"shape\":\(Self.json(rowInputs.label(rows: rows))),\"datatype\":\"INT64\",\"data\":["
            body += labels.map(String.init).joined(separator: ",")
        }
        body += "]}],\"outputs\":[{\"name\":\(Self.quoted(card.outputTensor))}]}"
        return Data(body.utf8)
    }

    /// A shape as a JSON array.
    static func json(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ",") + "]" }

    static func append(_ values: UnsafeBufferPointer<Double>, to body: inout String, float32: Bool) {
        for k in values.indices {
            if k > 0 { body += "," }
            body += float32 ? Float(values[k]).description : values[k].description
        }
    }

    /// A binary-extension body: a JSON header naming each input's byte size, then the raw bytes.
    func binaryRequest(samples: UnsafeBufferPointer<Double>, rows: Int, times: UnsafeBufferPointer<Double>,
                       labels: UnsafeBufferPointer<Int64>? = nil) -> (Data, Int) {
        let width = RawTensor.width(card.dtype)
        let shape = ([rows] + card.sampleShape).map(String.init).joined(separator: ",")
        var labelHeader = ""
        if let labels, let classInput = card.classInput {
            labelHeader = #",{"name":\#(Self.quoted(classInput.tensor)),"shape":\#(Self.json(rowInputs.label(rows: rows))),"datatype":"INT64","parameters":{"binary_data_size":\#(labels.count * 8)}}"#
        }
        let header = """
        {"inputs":[{"name":\(Self.quoted(card.sampleTensor)),"shape":[\(shape)],"datatype":"\(card.dtype)","parameters":{"binary_data_size":\(samples.count * width)}},\
        {"name":\(Self.quoted(card.timeTensor)),"shape":\(Self.json(rowInputs.time(rows: rows))),"datatype":"\(card.dtype)","parameters":{"binary_data_size":\(times.count * width)}}\(labelHeader)],\
        "outputs":[{"name":\(Self.quoted(card.outputTensor)),"parameters":{"binary_data":true}}]}
        """
        var body = Data(header.utf8)
        let headerLength = body.count
        body.reserveCapacity(headerLength + (samples.count + times.count) * width + (labels?.count ?? 0) * 8)
        RawTensor.append(samples, dtype: card.dtype, to: &body)
        RawTensor.append(times, dtype: card.dtype, to: &body)
        if let labels, card.classInput != nil { body.append(RawTensor.bytes(labels: labels)) }
        return (body, headerLength)
    }

    /// One request with retries; returns the status, the body and the binary header length if the
    /// answer uses the binary extension.
    /// `maxAnswerBytes`: the largest answer body read (metadata and readiness answers: 16 MiB); a larger one
    /// is refused, never held in memory.
    func send(url: String, method: HTTPMethod, body: Data?, retries: Int, headerLength: Int? = nil,
              timeout: Double? = nil, maxAnswerBytes: Int = 16 << 20) throws(RemoteModelError) -> (Int, Data, Int?) {
        let timeout = timeout ?? options.timeout
        var attempt = 0
        while true {
            do {
                var request = try HTTPClient.Request(url: url, method: method)
                if let body {
                    if let headerLength {
                        request.headers.add(name: "Content-Type", value: "application/octet-stream")
                        request.headers.add(name: "Inference-Header-Content-Length", value: "\(headerLength)")
                    } else {
                        request.headers.add(name: "Content-Type", value: "application/json")
                    }
                    request.body = .data(body)
                }
                let response = try http.execute(request: request, delegate: ResponseAccumulator(request: request, maxBodySize: maxAnswerBytes),
                                                deadline: .now() + .milliseconds(Int64(timeout * 1000))).wait()
                let status = Int(response.status.code)
                if (status == 429 || status == 503), attempt < retries {
                    attempt += 1
                    Thread.sleep(forTimeInterval: RemoteCallOptions.backoff(attempt: attempt))
                    continue
                }
                let answerHeader = response.headers.first(name: "Inference-Header-Content-Length").flatMap { Int($0) }
                return (status, response.body.map { Data($0.readableBytesView) } ?? Data(), answerHeader)
            } catch let error as ResponseAccumulator.ResponseTooBigError {
                throw .badResponse(url: url, reason: "the answer is larger than \(error.maxBodySize) bytes, more than \(method == .POST ? "the request's rows × dimension can need" : "a metadata answer")")
            } catch {
                // A timed-out request is not retried (the server is slow, not gone); connection errors are.
                let timedOut = (error as? HTTPClientError) == .deadlineExceeded
                if !timedOut, attempt < retries {
                    attempt += 1
                    Thread.sleep(forTimeInterval: RemoteCallOptions.backoff(attempt: attempt))
                    continue
                }
                let tries = attempt + 1 == 1 ? "" : " (\(attempt + 1) attempts)"
                throw .unreachable(url: url, reason: (timedOut ? "no answer within \(timeout) s (the request timeout)" : "\(error)") + tries)
            }
        }
    }
}
