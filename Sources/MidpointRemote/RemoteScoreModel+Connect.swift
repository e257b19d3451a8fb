import Foundation
import MidpointScoreModels

extension RemoteScoreModel {
    /// Connects to the model `card.name` at `endpoint` and checks it before any sampling: the endpoint's
    /// scheme picks the transport (``RemoteEndpoint/Scheme``), the model must be ready within
    /// `options.timeout`, and the server's metadata must agree with the card
    /// (``RemoteModelMetadata/check(_:url:)``), which also decides the shapes of the per-row inputs
    /// (``RowInputShapes``). `conditioning` (class labels and guidance) needs a card with a class input.
    public static func connect(to endpoint: RemoteEndpoint, card: ModelCard, options: RemoteCallOptions = RemoteCallOptions(),
                               conditioning: RemoteConditioning? = nil) throws(RemoteModelError) -> RemoteScoreModel {
        let options = try options.validated()
        func client(_ shapes: RowInputShapes, binary: Bool? = nil) throws(RemoteModelError) -> any InferenceTransport {
            switch endpoint.scheme {
            case .http, .https:
                return RESTInferenceClient(baseURL: endpoint.url, card: card, options: options, binary: binary, rowInputs: shapes)
            case .grpc:
                // RemoteEndpoint guarantees a gRPC port.
                return try GRPCInferenceClient(host: endpoint.host, port: endpoint.port ?? 0, card: card, options: options, rowInputs: shapes)
            }
        }
        var transport = try client(.vectors)
        try transport.waitUntilReady(within: options.timeout)
        let shapes = try transport.metadata().check(card, url: endpoint.url)
        if shapes != .vectors {
            // The shapes are fixed per client (its requests are built concurrently): a second one, once.
            transport = try client(shapes, binary: (transport as? RESTInferenceClient)?.binary)
        }
        if conditioning != nil, card.classInput == nil {
            throw .cardMismatch(url: endpoint.url, reason: "class labels and guidance need a card with a class_input")
        }
        return RemoteScoreModel(transport: transport, conditioning: conditioning)
    }

    /// ``connect(to:card:options:conditioning:)`` for a base URL, parsed by ``RemoteEndpoint/init(parsing:)``.
    public static func connect(url: String, card: ModelCard, options: RemoteCallOptions = RemoteCallOptions(),
                               conditioning: RemoteConditioning? = nil) throws(RemoteModelError) -> RemoteScoreModel {
        try connect(to: RemoteEndpoint(parsing: url), card: card, options: options, conditioning: conditioning)
    }
}
