import Foundation

/// Why a remote model could not be used.
public enum RemoteModelError: Error, Equatable, CustomStringConvertible {
    /// The server did not answer (connection refused, reset, timed out) after the retries.
    case unreachable(url: String, reason: String)
    /// The server answered with an error status and body.
    case status(url: String, code: Int, body: String)
    /// The server's answer is not what the protocol and the card say.
    case badResponse(url: String, reason: String)
    /// The model is not ready within the timeout; `last` is the server's last answer or the last error.
    case notReady(url: String, last: String)
    /// The server describes the model differently from its card (a tensor name, dtype or shape).
    case cardMismatch(url: String, reason: String)
    /// The model URL cannot be used.
    case badURL(url: String, reason: String)
    /// A call option is out of range.
    case badOption(field: String, value: String, allowed: String)

    public var description: String {
        switch self {
        case let .unreachable(url, reason): "cannot reach \(url): \(reason)"
        case let .status(url, code, _) where (300..<400).contains(code):
            "\(url) answered \(code), a redirect: redirects are not followed (the answer must come from the model asked); give the URL the model is served at"
        case let .status(url, code, body): "\(url) answered \(code): \(Self.gist(of: body))"
        case let .badResponse(url, reason): "\(url) gave an unusable answer: \(reason)"
        case let .notReady(url, last): "\(url) is not ready (the model did not load, is still loading, or has another name; last answer: \(last.prefix(300)))"
        case let .cardMismatch(url, reason): "the model card does not match the server's metadata (\(url)): \(reason)"
        case let .badURL(url, reason): "model URL '\(url)': \(reason)"
        case let .badOption(field, value, allowed): "remote \(field) \(value) is out of range: allowed \(allowed)"
        }
    }

    /// What an error body says, in one line of at most 300 characters: the `"error"` field of a JSON body
    /// (Triton, KServe, MLServer's own errors), the last line of a Python traceback (MLServer passes an
    /// exception in a runtime through as its traceback, whose first 300 characters say nothing), else the
    /// body's start.
    static func gist(of body: String) -> String {
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{"), let data = trimmed.data(using: .utf8),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let error = object["error"] as? String {
            return String(error.prefix(300))
        }
        if trimmed.contains("Traceback (most recent call last)"),
           let last = trimmed.split(whereSeparator: \.isNewline).last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            return String(last.trimmingCharacters(in: .whitespaces).prefix(300))
        }
        return String(trimmed.prefix(300))
    }
}
