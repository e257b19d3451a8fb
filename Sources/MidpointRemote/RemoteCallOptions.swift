/// How a remote model is called: request size, concurrency, timeout and retries.
///
/// The defaults (1,024 rows, 8 in flight) were chosen by scripts/remote_batch_sweep.sh (docs/remote.md):
/// over 24 settings (MLServer over gRPC and REST; d = 256 with 20 ms per call and d = 64 with none; rm-parallel
/// and rm-ms; 16–256 particles) they were on average 6% slower than each setting's best option (worst 1.32×),
/// the best of the seven options tried.
public struct RemoteCallOptions: Sendable, Equatable {
    /// Seconds one request may take (each retry gets its own), and the readiness wait at connection.
    public var timeout: Double
    /// Retries after a connection error, HTTP 429/503 or gRPC UNAVAILABLE/RESOURCE_EXHAUSTED, with
    /// exponential backoff (0.1 s, 0.2 s, 0.4 s, …, at most 5 s; ``backoff(attempt:)``). A request that
    /// timed out is not retried: its server is slow, not gone.
    public var retries: Int
    /// Rows per request at most (the server's batch size): a batched evaluation becomes ⌈rows / this⌉
    /// requests.
    public var maxBatchSize: Int
    /// Requests in flight at once.
    public var inFlight: Int

    /// Options with every field given (the defaults are the project's).
    public init(timeout: Double = 30, retries: Int = 3, maxBatchSize: Int = 1024, inFlight: Int = 8) {
        self.timeout = timeout
        self.retries = retries
        self.maxBatchSize = maxBatchSize
        self.inFlight = inFlight
    }

    /// Seconds to wait before retry number `attempt` (1, 2, …): 0.1 s doubling, capped at 5 s so that
    /// 20 retries wait at most about 80 s in all.
    public static func backoff(attempt: Int) -> Double {
        min(0.1 * Double(1 << min(max(attempt - 1, 0), 16)), 5)
    }

    /// The allowed ranges, checked at the boundary (the CLI's validate, ``RemoteScoreModel/connect(url:card:options:)``).
    public func validated() throws(RemoteModelError) -> RemoteCallOptions {
        guard timeout.isFinite, timeout > 0, timeout <= 86_400 else {
            throw .badOption(field: "timeout", value: "\(timeout)", allowed: "seconds in (0, 86400]")
        }
        guard (0...20).contains(retries) else { throw .badOption(field: "retries", value: "\(retries)", allowed: "0...20") }
        guard (1...1_000_000).contains(maxBatchSize) else {
            throw .badOption(field: "max batch size", value: "\(maxBatchSize)", allowed: "1...1000000 rows")
        }
        guard (1...256).contains(inFlight) else { throw .badOption(field: "in flight", value: "\(inFlight)", allowed: "1...256 requests") }
        return self
    }
}
