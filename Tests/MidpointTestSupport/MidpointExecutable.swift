import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Runs the executable with `arguments`, with `environment` set over the test process's own;
    /// returns (status, stdout, stderr).
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String, String) {
        guard let url = url() else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no midpoint executable near \(String(describing: Bundle.main.executableURL))"])
        }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
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

    /// Runs the executable with `arguments` from a shell that first runs `setup` (a `ulimit`, say), its
    /// output discarded; returns the exit status and what it wrote to stderr.
    public static func run(after setup: String, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        guard let url = url() else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no midpoint executable near \(String(describing: Bundle.main.executableURL))"])
        }
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "\(setup) && exec \"$0\" \"$@\"", url.path] + arguments
        let err = Pipe()
        shell.standardError = err
        shell.standardOutput = FileHandle.nullDevice
        try shell.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        return (shell.terminationStatus, message)
    }

    /// Runs the executable with `arguments`, its output discarded; returns its exit status and its own
    /// peak resident set in bytes (from `wait4`, so other children of the test process do not count).
    public static func peakResidentBytes(_ arguments: [String]) throws -> (status: Int32, bytes: Double) {
        guard let url = url() else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no midpoint executable near \(String(describing: Bundle.main.executableURL))"])
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([url.path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, url.path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        #if canImport(Glibc)
        let bytes = Double(usage.ru_maxrss) * 1024  // kilobytes on Linux
        #else
        let bytes = Double(usage.ru_maxrss)  // bytes on macOS
        #endif
        // WIFEXITED/WEXITSTATUS by hand: the macros are not imported.
        return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : -(status & 0x7f), bytes)
    }
}
