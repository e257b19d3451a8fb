import Midpoint

/// A `--csv` file rewritten atomically after every finished row, so that a run stopped later (a failed
/// model, a kill) keeps what it measured. The first failed write is kept and thrown after the run.
struct CSVCheckpoint {
    /// The file, if one was asked for.
    let path: String?
    private var failure: (any Error)?

    init(path: String?) { self.path = path }

    /// Rewrites the file with `table` (built only when there is a file and no write has failed).
    mutating func write(_ table: () -> Table) {
        guard let path, failure == nil else { return }
        do { try AtomicFile.write(table().csv(), to: path) } catch { failure = error }
    }

    /// Throws the first failed write, if any.
    func check() throws {
        if let failure { throw failure }
    }
}
