import Dispatch

/// Runs work over the rows of a batch in chunks of a fixed size, on a fixed number of threads.
///
/// The chunk size never depends on the thread count: each chunk is processed the same way whichever
/// thread runs it, so results are bit-identical for 1 or many threads. Chunks are dealt round-robin
/// to `threads` workers.
public struct RowChunks: Sendable {
    /// Rows per chunk (the last chunk may be shorter).
    public let chunkSize: Int
    /// Worker threads (1 runs everything on the caller's thread).
    public let threads: Int

    /// The default chunk: small enough to keep a chunk of a 1024-wide batch in cache.
    public static let defaultChunkSize = 256

    /// A chunking with `chunkSize` rows per chunk over `threads` workers.
    public init(chunkSize: Int = RowChunks.defaultChunkSize, threads: Int = 1) {
        precondition(chunkSize > 0 && threads > 0, "chunk size and thread count must be positive")
        self.chunkSize = chunkSize
        self.threads = threads
    }

    /// Calls `body` once per chunk of `0..<rows`, possibly concurrently. Allocates nothing on one
    /// thread (the chunk bounds are computed inline: a closure value holding them would be boxed on
    /// every call, and this runs several times per sampler step).
    public func forEach(rows: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let size = chunkSize
        let chunks = (rows + size - 1) / size
        let workers = min(threads, chunks)
        if workers <= 1 {
            for c in 0..<chunks { body((c * size)..<min(rows, (c + 1) * size)) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var c = w
            while c < chunks {
                body((c * size)..<min(rows, (c + 1) * size))
                c += workers
            }
        }
    }
}
