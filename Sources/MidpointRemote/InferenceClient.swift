import AsyncHTTPClient
import Foundation
import MidpointScoreModels
import NIOCore
import NIOHTTP1

/// A client of one model on an Open Inference Protocol (KServe v2) server, over REST with JSON tensors.
///
/// Calls are synchronous: they block the calling thread on the HTTP client's future, never a Swift
/// concurrency thread (the score protocol is called from the evaluator's worker threads, and blocking the
/// cooperative pool there could deadlock it).
///
/// Requests time out after ``timeout``; connection errors and 429/503 answers are retried with
/// exponential backoff (0.1 s, 0.2 s, …) up to ``retries`` times; other 4xx/5xx answers fail at once
/// with the server's body.
public final class InferenceClient: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:8080`.
    public let baseURL: String
    /// How to call the model.
    public let card: ModelCard
    /// Per-request timeout, seconds.
    public let timeout: Double
    /// Retries after a connection error, 429 or 503.
    public let retries: Int
    let http: HTTPClient

    /// A client of `card.name` at `baseURL`.
    public init(baseURL: String, card: ModelCard, timeout: Double = 30, retries: Int = 3) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.card = card
        self.timeout = timeout
        self.retries = retries
        http = HTTPClient(eventLoopGroupProvider: .singleton)
    }

    deinit { try? http.syncShutdown() }

    /// Waits until `/v2/models/{name}/ready` answers 200 (polling every 0.25 s), at most `within` seconds.
    public func waitUntilReady(within seconds: Double) throws(RemoteModelError) {
        let url = "\(baseURL)/v2/models/\(card.name)/ready"
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if let (status, _) = try? send(url: url, method: .GET, body: nil, retries: 0), status == 200 { return }
            Thread.sleep(forTimeInterval: 0.25)
        } while Date() < deadline
        throw .notReady(url: url)
    }

    /// Scores `rows` samples (row-major, `card.dimension` each) at the network time inputs `times`:
    /// one POST to `/v2/models/{name}/infer`; returns the output tensor's values.
    public func infer(samples: [Double], rows: Int, times: [Double]) throws(RemoteModelError) -> [Double] {
        let url = "\(baseURL)/v2/models/\(card.name)/infer"
        let shape = ([rows] + card.sampleShape).map(String.init).joined(separator: ",")
        var body = "{\"inputs\":[{\"name\":\"\(card.sampleTensor)\",\"shape\":[\(shape)],\"datatype\":\"\(card.dtype)\",\"data\":["
        body.reserveCapacity(samples.count * 22 + 200)
        Self.append(samples, to: &body)
        body += "]},{\"name\":\"\(card.timeTensor)\",\"shape\":[\(rows)],\"datatype\":\"\(card.dtype)\",\"data\":["
        Self.append(times, to: &body)
        body += "]}],\"outputs\":[{\"name\":\"\(card.outputTensor)\"}]}"
        let (status, data) = try send(url: url, method: .POST, body: body, retries: retries)
        guard status == 200 else { throw .status(url: url, code: status, body: String(decoding: data, as: UTF8.self)) }
        return try decode(data, url: url, count: rows * card.dimension)
    }

    static func append(_ values: [Double], to body: inout String) {
        for (k, v) in values.enumerated() {
            if k > 0 { body += "," }
            body += v.description
        }
    }

    func decode(_ data: Data, url: String, count: Int) throws(RemoteModelError) -> [Double] {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let outputs = root["outputs"] as? [[String: Any]] else {
            throw .badResponse(url: url, reason: "no \"outputs\" array in the answer")
        }
        guard let output = outputs.first(where: { ($0["name"] as? String) == card.outputTensor }) ?? (outputs.count == 1 ? outputs[0] : nil) else {
            throw .badResponse(url: url, reason: "no output tensor named \"\(card.outputTensor)\"")
        }
        if let datatype = output["datatype"] as? String, !["FP64", "FP32"].contains(datatype) {
            throw .badResponse(url: url, reason: "output datatype \(datatype), the card expects \(card.dtype)")
        }
        guard let values = output["data"] as? [Any] else { throw .badResponse(url: url, reason: "the output has no \"data\" array") }
        guard values.count == count else {
            throw .badResponse(url: url, reason: "the output has \(values.count) values, expected \(count) (\(count / max(card.dimension, 1)) × \(card.sampleShape))")
        }
        var out = [Double](repeating: 0, count: count)
        for (k, v) in values.enumerated() {
            guard let n = v as? NSNumber, n.doubleValue.isFinite else {
                throw .badResponse(url: url, reason: "output value \(k) is \(v), not a finite number")
            }
            out[k] = n.doubleValue
        }
        return out
    }

    /// One request with retries; returns the status and the body.
    func send(url: String, method: HTTPMethod, body: String?, retries: Int) throws(RemoteModelError) -> (Int, Data) {
        var attempt = 0
        while true {
            do {
                var request = try HTTPClient.Request(url: url, method: method)
                if let body {
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .string(body)
                }
                let response = try http.execute(request: request, deadline: .now() + .milliseconds(Int64(timeout * 1000))).wait()
                let status = Int(response.status.code)
                if (status == 429 || status == 503), attempt < retries {
                    attempt += 1
                    Thread.sleep(forTimeInterval: 0.1 * Double(1 << (attempt - 1)))
                    continue
                }
                return (status, response.body.map { Data($0.readableBytesView) } ?? Data())
            } catch {
                if attempt < retries {
                    attempt += 1
                    Thread.sleep(forTimeInterval: 0.1 * Double(1 << (attempt - 1)))
                    continue
                }
                throw .unreachable(url: url, reason: "\(error)")
            }
        }
    }
}
