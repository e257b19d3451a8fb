import Foundation
import MidpointRandom
import MidpointScoreModels

/// Per-call cost of a served model through one transport, and the client's own share of it.
///
/// For each batch size, `calls` requests of `rows` random rows (at random times in (0.01, 1)) go to the
/// server one after another; the **call** time is the median wall-clock of a request, answer decoded.
/// The **client** time is the median of the same number of offline encode + decode runs
/// (``InferenceTransport/clientSeconds(samples:rows:times:into:)``): what this process spends per call,
/// the rest being the network stack and the server. Medians, because a loaded two-core machine has a
/// long tail.
public struct CallProfile: Sendable {
    /// One measured batch size.
    public struct Row: Sendable, Equatable {
        /// The wire format (`REST/JSON`, `REST/binary`, `gRPC/raw`).
        public let wireFormat: String
        /// Rows per request.
        public let rows: Int
        /// Coordinates per row.
        public let dimension: Int
        /// Median seconds per call, end to end.
        public let callSeconds: Double
        /// Median seconds of the client's own encoding and decoding.
        public let clientSeconds: Double

        /// The client's share of a call.
        public var clientShare: Double { clientSeconds / callSeconds }
    }

    /// The transport measured.
    public let transport: any InferenceTransport

    /// A profile of `transport`.
    public init(transport: any InferenceTransport) { self.transport = transport }

    /// Measures batches of `rows` rows, `calls` times each (after one warm-up call).
    public func measure(rows: Int, calls: Int, seed: UInt64 = 1) throws(RemoteModelError) -> Row {
        precondition(rows > 0 && calls > 0, "rows and calls must be positive")
        let d = transport.card.dimension
        let noise = NoiseSource(seed: seed)
        let samples = noise.uniforms(particles: rows * d, step: 0, slot: 0).map { 4 * $0 - 2 }
        let times = noise.uniforms(particles: rows, step: 0, slot: 1).map { 0.01 + 0.99 * $0 }
        var output = [Double](repeating: 0, count: rows * d)
        var call: [Double] = [], client: [Double] = []
        try samples.withUnsafeBufferPointer { (x) throws(RemoteModelError) in
            try times.withUnsafeBufferPointer { (t) throws(RemoteModelError) in
                try output.withUnsafeMutableBufferPointer { (out) throws(RemoteModelError) in
                    try transport.infer(samples: x, rows: rows, times: t, into: out)
                    for _ in 0..<calls {
                        let start = DispatchTime.now().uptimeNanoseconds
                        try transport.infer(samples: x, rows: rows, times: t, into: out)
                        call.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
                        client.append(try transport.clientSeconds(samples: x, rows: rows, times: t, into: out))
                    }
                }
            }
        }
        return Row(wireFormat: transport.wireFormat, rows: rows, dimension: d, callSeconds: Self.median(call),
                   clientSeconds: Self.median(client))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
    }
}
