import Foundation

/// Where a served model lives: the transport (from the URL's scheme), the host and the port, parsed once
/// from a base URL such as `http://127.0.0.1:8080` or `grpc://127.0.0.1:8081`.
///
/// The scheme picks the transport: `http`/`https` speak REST (JSON, or binary tensors where the server
/// lists the extension), `grpc` speaks gRPC with raw tensors. A REST URL may not carry a path (the
/// client adds `/v2/models/NAME/…`); a gRPC URL needs an explicit port.
public struct RemoteEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// The URL schemes a served model can be reached by; the one list the library and the CLI use.
    public enum Scheme: String, Sendable, CaseIterable {
        /// REST over plain HTTP.
        case http
        /// REST over TLS.
        case https
        /// gRPC (HTTP/2, plain text).
        case grpc
    }

    /// The transport's scheme.
    public let scheme: Scheme
    /// The host name or address.
    public let host: String
    /// The port, if the URL gives one (gRPC requires it; REST defaults to the scheme's).
    public let port: Int?
    /// The base URL as given, without a trailing slash.
    public let url: String

    /// Parses `text`, refusing anything but `SCHEME://HOST[:PORT]` with a known scheme.
    /// - Throws: ``RemoteModelError/badURL(url:reason:)`` naming what is wrong and what is allowed.
    public init(parsing text: String) throws(RemoteModelError) {
        let schemes = Scheme.allCases.map(\.rawValue)
        let example = "expected " + schemes.map { "\($0)://HOST:PORT" }.joined(separator: ", ")
        guard let components = URLComponents(string: text), let name = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            throw .badURL(url: text, reason: example)
        }
        guard let scheme = Scheme(rawValue: name) else {
            throw .badURL(url: text, reason: "unknown scheme \(name): use \(schemes.joined(separator: ", "))")
        }
        guard components.query == nil, components.fragment == nil, components.user == nil, components.password == nil else {
            throw .badURL(url: text, reason: "give the server's base URL without a query, fragment or user information")
        }
        guard components.path.isEmpty || components.path == "/" else {
            throw .badURL(url: text, reason: "give the server's base URL without a path (the client adds /v2/models/NAME/…)")
        }
        if let port = components.port, !(1...65_535).contains(port) {
            throw .badURL(url: text, reason: "the port must be in 1...65535")
        }
        if scheme == .grpc, components.port == nil {
            throw .badURL(url: text, reason: "a grpc:// URL needs a port in 1...65535")
        }
        self.scheme = scheme
        self.host = host
        self.port = components.port
        self.url = text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// The base URL.
    public var description: String { url }
}
