import Dispatch
import Foundation

/// Prints `label: k/N steps` on stderr, but only once a run has taken more than a second, and at
/// most ten times a second, so short runs stay quiet.
final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastPrint: UInt64 = 0
    private var printed = false

    init(label: String = "") { self.label = label }

    /// Overwrites the status line with `text` (an experiment's current run), padded so a shorter line
    /// hides a longer one.
    func status(_ text: String) {
        printed = true
        FileHandle.standardError.write(Data("\r\(text)\(String(repeating: " ", count: 12))".utf8))
    }

    /// Blanks the status line.
    func clear() {
        guard printed else { return }
        FileHandle.standardError.write(Data("\r\(String(repeating: " ", count: 72))\r".utf8))
        printed = false
    }

    func update(_ done: Int, _ total: Int) {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - start > 1_000_000_000, now - lastPrint > 100_000_000 || done == total else { return }
        lastPrint = now
        printed = true
        let elapsed = Double(now - start) * 1e-9
        FileHandle.standardError.write(Data(String(format: "\r%@: %d/%d steps, %.1f s", label, done, total, elapsed).utf8))
    }

    /// Announces a stage that follows the run (metrics, diagnostics) on stderr, when the run itself was
    /// long enough to have shown progress; returns a closure that reports the stage's time when called.
    static func stage(_ what: String, after runSeconds: Double) -> () -> Void {
        guard runSeconds > 1 else { return {} }
        let start = DispatchTime.now().uptimeNanoseconds
        FileHandle.standardError.write(Data("\(what)…".utf8))
        return {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            FileHandle.standardError.write(Data(String(format: " %.1f s\n", seconds).utf8))
        }
    }

    /// Ends the progress line, if one was printed.
    func finish() {
        if printed { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
