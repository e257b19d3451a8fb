import ArgumentParser
import Midpoint

/// Checks of an output-file flag, run in `validate()` so that a bad path fails before any sampling.
enum OutputPathOption {
    /// Throws unless `path` (when given) ends in `suffix` and can be written: its directory exists and is
    /// writable, and it is not a directory.
    static func check(_ path: String?, flag: String, suffix: String) throws {
        guard let path else { return }
        guard path.hasSuffix(suffix) else {
            throw ValidationError("\(flag) must name a \(suffix) file (got '\(path)')")
        }
        do { try AtomicFile.checkWritable(path) } catch { throw ValidationError("\(flag): \(error.description)") }
    }
}
