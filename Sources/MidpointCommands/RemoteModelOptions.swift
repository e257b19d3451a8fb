import ArgumentParser
import Foundation
import Midpoint
#if MIDPOINT_REMOTE
import MidpointRemote
#endif

/// `--model-url` and `--model-card`: a diffusion model served by an Open Inference Protocol server, with
/// the request size, concurrency, timeout and retries of its calls.
///
/// The URL is parsed while the flags are (``RemoteEndpoint``), the card is read and checked once in
/// `validate()` and kept in ``card``: every later use shares that one parse. A build without served
/// models (the default; `MIDPOINT_REMOTE=1` builds them in) keeps the flags so that `--model-url` can say
/// how to rebuild.
struct RemoteModelOptions: ParsableArguments {
    #if MIDPOINT_REMOTE
    @Option(name: .long, help: "A served model instead of a target: the server's base URL, \(RemoteEndpoint.Scheme.allCases.map { "\($0.rawValue)://HOST:PORT" }.joined(separator: ", ")) (http/https: REST, JSON or binary tensors where the server supports them; grpc: raw tensors). Needs --model-card; --target then names the law to measure the samples against.",
            transform: { text throws(RemoteModelError) in try RemoteEndpoint(parsing: text) })
    var modelURL: RemoteEndpoint?
    #else
    @Option(name: .long, help: "A served model instead of a target (needs a build with served models: MIDPOINT_REMOTE=1 swift build -c release).")
    var modelURL: String?
    #endif

    @Option(name: .long, help: "The served model's card (JSON: name, prediction, time input, sample shape, dtype, tensor names; docs/model-cards.md).")
    var modelCard: String?

    @Option(name: .long, parsing: .unconditional, help: "Rows per request at most: the server's batch size (default \(Self.defaults.maxBatchSize)).")
    var maxBatchSize: Int?

    @Option(name: .long, parsing: .unconditional, help: "Requests in flight at once (default \(Self.defaults.inFlight)).")
    var inFlight: Int?

    @Option(name: .long, parsing: .unconditional, help: "Seconds one request may take, and the wait for the model to be ready (default \(Self.defaults.timeout)).")
    var requestTimeout: Double?

    @Option(name: .long, parsing: .unconditional, help: "Retries after a connection error, 429/503 or gRPC UNAVAILABLE, with backoff 0.1 s, 0.2 s, … (default \(Self.defaults.retries)).")
    var retries: Int?

    @Option(name: .customLong("class"), help: "For a conditional model (a card with class_input): K (every particle from class K), all (particle p from class p mod classes) or random (a uniform class per particle under --seed).")
    var classChoice: ClassChoice?

    @Option(name: .long, parsing: .unconditional, help: "Classifier-free guidance scale w of a conditional model: output o_u + w (o_c - o_u), in 0...100 (default 1: the conditional model alone; w ≠ 0, 1 sends both halves in one request).")
    var guidance: Double?

    @Option(name: .long, parsing: .unconditional, help: "Guidance interval: at noise-to-signal ratios σ/α at or above this the conditional output alone is used (default \(Self.defaultGuidanceCeiling.formatted()); inf: guidance at every level, as diffusers does).")
    var guidanceCeiling: Double?

    /// The card of `--model-card`, read once by `validate()`.
    private(set) var card: ModelCard?

    enum CodingKeys: String, CodingKey {
        case modelURL, modelCard, maxBatchSize, inFlight, requestTimeout, retries, classChoice, guidance, guidanceCeiling
    }

    /// The project's call defaults (`RemoteCallOptions` where served models are built in).
    static var defaults: (maxBatchSize: Int, inFlight: Int, timeout: Double, retries: Int) {
        #if MIDPOINT_REMOTE
        let d = RemoteCallOptions()
        return (d.maxBatchSize, d.inFlight, d.timeout, d.retries)
        #else
        return (1024, 8, 30, 3)
        #endif
    }

    /// The guidance ceiling when `--guidance-ceiling` is not given (`RemoteConditioning.defaultGuidanceCeiling`).
    static var defaultGuidanceCeiling: Double {
        #if MIDPOINT_REMOTE
        RemoteConditioning.defaultGuidanceCeiling
        #else
        10
        #endif
    }

    var isRemote: Bool { modelURL != nil }

    /// The flags that only make sense with a served model, if any was given.
    var callFlagsGiven: [String] {
        [("--max-batch-size", maxBatchSize != nil), ("--in-flight", inFlight != nil),
         ("--request-timeout", requestTimeout != nil), ("--retries", retries != nil)].filter(\.1).map(\.0)
    }

    mutating func validate() throws {
        #if MIDPOINT_REMOTE
        do { _ = try callOptions.validated() } catch {
            let flag = switch error {
            case let .badOption(field, _, _) where field == "timeout": "--request-timeout"
            case let .badOption(field, _, _) where field == "retries": "--retries"
            case let .badOption(field, _, _) where field == "max batch size": "--max-batch-size"
            default: "--in-flight"
            }
            throw ValidationError("\(flag): \(error.description)")
        }
        #else
        if let url = modelURL {
            throw ValidationError("--model-url \(url): this midpoint was built without served models; rebuild with `MIDPOINT_REMOTE=1 swift build -c release` (or `make build-remote`) and run .build/release/midpoint")
        }
        #endif
        switch (modelURL, modelCard) {
        case (nil, nil):
            if let flag = callFlagsGiven.first { throw ValidationError("\(flag) sets how a served model is called: give --model-url and --model-card") }
        case (_?, nil): throw ValidationError("--model-url needs --model-card: the card says how to call the model (docs/model-cards.md)")
        case (nil, _?): throw ValidationError("--model-card describes a served model: give its server with --model-url")
        case let (_?, path?): card = try Self.card(at: path)
        }
        if let guidance, !(0...100).contains(guidance) { throw ValidationError("--guidance must be in 0...100 (got \(guidance))") }
        if let guidanceCeiling, !(guidanceCeiling > 0) {
            throw ValidationError("--guidance-ceiling must be a noise-to-signal ratio > 0, or inf for guidance at every level (got \(guidanceCeiling))")
        }
        if guidanceCeiling != nil, guidance == nil {
            throw ValidationError("--guidance-ceiling limits classifier-free guidance: give --guidance w too")
        }
        if classChoice != nil || guidance != nil {
            guard let card else { throw ValidationError("--class and --guidance condition a served model: give --model-url and --model-card") }
            guard let classInput = card.classInput else {
                throw ValidationError("--class and --guidance need a conditional model: the card of \(card.name) has no class_input")
            }
            if case let .fixed(k)? = classChoice, k >= classInput.classes {
                throw ValidationError("--class \(k): \(card.name) has classes 0...\(classInput.classes - 1)")
            }
        }
    }

    /// Whether requests carry class labels.
    var isConditional: Bool { card?.classInput != nil && (classChoice != nil || guidance != nil) }

    /// The card at `path`, parsed and validated (errors name the field).
    static func card(at path: String) throws -> ModelCard {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ValidationError("--model-card \(path): no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("--model-card \(path): cannot be read") }
        do { return try ModelCard.parse(data) } catch { throw ValidationError("--model-card \(path): \(error.description)") }
    }

    #if MIDPOINT_REMOTE
    /// The call options of the flags, the project's defaults where none was given.
    var callOptions: RemoteCallOptions {
        let d = RemoteCallOptions()
        return RemoteCallOptions(timeout: requestTimeout ?? d.timeout, retries: retries ?? d.retries,
                                 maxBatchSize: maxBatchSize ?? d.maxBatchSize, inFlight: inFlight ?? d.inFlight)
    }

    /// Connects to the served model and checks it against its card (ready, tensors agree), before any
    /// sampling; nil without `--model-url`.
    /// `particles` (global indices) and `seed` choose the class labels of a conditional run.
    func connect(maxBatchSize override: Int? = nil, particles: Range<Int> = 0..<0, seed: UInt64 = 0) throws(CommandFailure) -> RemoteScoreModel? {
        guard let endpoint = modelURL, let card else { return nil }
        var options = callOptions
        if let override { options.maxBatchSize = override }
        var conditioning: RemoteConditioning?
        if isConditional, let classInput = card.classInput {
            // Without --class the null label: --guidance alone samples the unconditional model's classes.
            let labels = (classChoice ?? .fixed(classInput.null)).labels(particles: particles, classes: classInput.classes, seed: seed)
            conditioning = RemoteConditioning(labels: labels, guidance: guidance ?? 1, null: Int64(classInput.null),
                                              guidanceCeiling: guidanceCeiling ?? Self.defaultGuidanceCeiling)
        }
        do { return try RemoteScoreModel.connect(to: endpoint, card: card, options: options, conditioning: conditioning) } catch {
            throw CommandFailure(error.description)
        }
    }
    #endif
}
