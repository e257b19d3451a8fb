import Foundation
import MidpointScoreModels

extension RemoteScoreModel {
    /// Connects to the model `card.name` at `url` and checks it before any sampling: the URL's scheme
    /// picks the transport (`http://`/`https://`: REST, JSON or binary as the server supports;
    /// `grpc://`: gRPC with raw tensors), the model must be ready within `options.timeout`, and the
    /// server's metadata must agree with the card (``RemoteModelMetadata/check(_:url:)``).
    public static func connect(url: String, card: ModelCard, options: RemoteCallOptions = RemoteCallOptions()) throws(RemoteModelError) -> RemoteScoreModel {
        let options = try options.validated()
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            throw .badURL(url: url, reason: "expected http://HOST:PORT, https://HOST:PORT or grpc://HOST:PORT")
        }
        let transport: any InferenceTransport
        switch scheme {
        case "http", "https":
            guard components.path.isEmpty || components.path == "/" else {
                throw .badURL(url: url, reason: "give the server's base URL without a path (the client adds /v2/models/\(card.name)/…)")
            }
            transport = RESTInferenceClient(baseURL: url, card: card, options: options)
        case "grpc":
            guard let port = components.port, (1...65_535).contains(port) else {
                throw .badURL(url: url, reason: "a grpc:// URL needs a port in 1...65535")
            }
            transport = try GRPCInferenceClient(host: host, port: port, card: card, options: options)
        default:
            throw .badURL(url: url, reason: "unknown scheme \(scheme): use http, https or grpc")
        }
        try transport.waitUntilReady(within: options.timeout)
        try transport.metadata().check(card, url: url)
        return RemoteScoreModel(transport: transport)
    }
}
