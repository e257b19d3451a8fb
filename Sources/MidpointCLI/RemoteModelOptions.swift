import ArgumentParser
import Foundation
import Midpoint
import MidpointRemote

/// `--model-url` and `--model-card`: a diffusion model served by an Open Inference Protocol server, with
/// the request size, concurrency, timeout and retries of its calls.
struct RemoteModelOptions: ParsableArguments {
    @Option(name: .long, help: "A served model instead of a target: the server's base URL, http://HOST:PORT (REST; JSON, or binary tensors where the server supports them) or grpc://HOST:PORT (gRPC, raw tensors). Needs --model-card; --target then names the law to measure the samples against.")
    var modelURL: String?

    @Option(name: .long, help: "The served model's card (JSON: name, prediction, time input, sample shape, dtype, tensor names; docs/model-cards.md).")
    var modelCard: String?

    @Option(name: .long, parsing: .unconditional, help: "Rows per request at most: the server's batch size.")
    var maxBatchSize: Int = RemoteCallOptions().maxBatchSize

    @Option(name: .long, parsing: .unconditional, help: "Requests in flight at once.")
    var inFlight: Int = RemoteCallOptions().inFlight

    @Option(name: .long, parsing: .unconditional, help: "Seconds one request may take, and the wait for the model to be ready.")
    var requestTimeout: Double = RemoteCallOptions().timeout

    @Option(name: .long, parsing: .unconditional, help: "Retries after a connection error, 429/503 or gRPC UNAVAILABLE, with backoff 0.1 s, 0.2 s, ….")
    var retries: Int = RemoteCallOptions().retries

    var callOptions: RemoteCallOptions {
        RemoteCallOptions(timeout: requestTimeout, retries: retries, maxBatchSize: maxBatchSize, inFlight: inFlight)
    }

    var isRemote: Bool { modelURL != nil }

    func validate() throws {
        do { _ = try callOptions.validated() } catch {
            let flag = switch error {
            case let .badOption(field, _, _) where field == "timeout": "--request-timeout"
            case let .badOption(field, _, _) where field == "retries": "--retries"
            case let .badOption(field, _, _) where field == "max batch size": "--max-batch-size"
            default: "--in-flight"
            }
            throw ValidationError("\(flag): \(error.description)")
        }
        switch (modelURL, modelCard) {
        case (nil, nil): return
        case (_?, nil): throw ValidationError("--model-url needs --model-card: the card says how to call the model (docs/model-cards.md)")
        case (nil, _?): throw ValidationError("--model-card describes a served model: give its server with --model-url")
        case let (url?, path?):
            guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
                  ["http", "https", "grpc"].contains(scheme), components.host.map({ !$0.isEmpty }) ?? false else {
                throw ValidationError("--model-url '\(url)' must look like http://HOST:PORT or grpc://HOST:PORT")
            }
            _ = try Self.card(at: path)
        }
    }

    /// The card at `path`, parsed and validated (errors name the field).
    static func card(at path: String) throws -> ModelCard {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ValidationError("--model-card \(path): no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("--model-card \(path): cannot be read") }
        do { return try ModelCard.parse(data) } catch { throw ValidationError("--model-card \(path): \(error.description)") }
    }

    /// Connects to the served model and checks it against its card (ready, tensors agree), before any
    /// sampling; nil without `--model-url`.
    func connect() throws -> RemoteScoreModel? {
        guard let url = modelURL, let path = modelCard else { return nil }
        let card = try Self.card(at: path)
        do { return try RemoteScoreModel.connect(url: url, card: card, options: callOptions) } catch {
            throw CommandFailure(error.description)
        }
    }
}
