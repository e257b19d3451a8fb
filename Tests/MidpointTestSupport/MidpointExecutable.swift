import Foundation

/// The built `midpoint` executable, for tests that need a separate process (its stdout, its exit status,
/// a signal).
public enum MidpointExecutable {
    /// The executable next to (or a few folders above) the test bundle, as SwiftPM lays out a build.
    public static func url() -> URL? {
        guard var dir = Bundle.main.executableURL?.deletingLastPathComponent() else { return nil }
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("midpoint")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// Runs the executable with `arguments`; returns (status, stdout, stderr).
    public static func run(_ arguments: [String]) throws -> (Int32, String, String) {
        guard let url = url() else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no midpoint executable near \(String(describing: Bundle.main.executableURL))"])
        }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes are drained at once: a child that fills one while the other is read would block.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        DispatchQueue.global().async(group: group) { errorData = err.fileHandleForReading.readDataToEndOfFile() }
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, String(decoding: errorData, as: UTF8.self))
    }
}
