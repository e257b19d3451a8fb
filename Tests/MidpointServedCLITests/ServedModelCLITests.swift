import Foundation
import MidpointFormats
import MidpointTestSupport
import Testing

/// `midpoint sample --model-url` against a real MLServer (scripts/test-with-server exports its URLs, and
/// those of a second server that the killed-server case kills mid-run).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["MIDPOINT_TEST_SERVER"] != nil,
                             "needs the test server: scripts/test-with-server"))
struct ServedModelCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let card = root.appendingPathComponent("serve/exact.card.json").path

    /// The served target's law as a target file, for the metrics.
    static func referenceTarget(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("g8.json")
        try Data(#"{"kind": "product", "dimension": 8, "components": [{"weight": 1, "mean": 0.5, "variance": 0.3}]}"#.utf8).write(to: path)
        return path.path
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("midpoint-served-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Both transports sample the served model through the CLI, measure it against --target, and write
    /// the same samples (to 1e-9 relative: NumPy's vectorized exp may round the last bit differently for
    /// arrays decoded from JSON and from raw bytes, ~1e-15 here).
    @Test func sampleThroughRESTAndGRPC() throws {
        let env = ProcessInfo.processInfo.environment
        let urls = [env["MIDPOINT_TEST_SERVER"], env["MIDPOINT_TEST_GRPC_SERVER"]].compactMap { $0 }
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = try Self.referenceTarget(in: dir)
        var written: [[Double]] = []
        for (k, url) in urls.enumerated() {
            let output = dir.appendingPathComponent("s\(k).npy").path
            let (status, stdout, stderr) = try MidpointExecutable.run(
                ["sample", "--model-url", url, "--model-card", Self.card, "--target", target, "--sampler", "rm",
                 "--nfe", "20", "--particles", "200", "--output", output])
            #expect(status == 0, "\(url): \(stderr)")
            #expect(stdout.contains("served exact at \(url)") && stdout.contains("mean error"), "\(stdout)")
            written.append(try NPY.read(contentsOf: output).values)
        }
        try #require(written.count == 2 && written[0].count == 200 * 8)
        let worst = zip(written[0], written[1]).map { abs($0 - $1) / max(abs($1), 1) }.max() ?? .infinity
        #expect(worst <= 1e-9, "REST and gRPC samples differ by \(worst)")
    }

    /// `--class 2 --guidance 2.5` on the conditional exact model: the report says how requests are made,
    /// and the samples' coordinate-0 mean is the guided law's, 0.5 + 2.5·2 = 5.5 (its sd 0.3^½ over 400
    /// particles gives a standard error of 0.027; 0.15 is over 5 of them), the other coordinates' 0.5 —
    /// with guidance at every level (`--guidance-ceiling inf`), which is what that closed form describes.
    /// Flags that contradict the card or each other are refused before any connection.
    @Test func guidedSamplingThroughTheCLI() throws {
        let url = try #require(ProcessInfo.processInfo.environment["MIDPOINT_TEST_GRPC_SERVER"])
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("guided.npy").path
        let card = Self.root.appendingPathComponent("serve/exact-classes.card.json").path
        let (status, stdout, stderr) = try MidpointExecutable.run(
            ["sample", "--model-url", url, "--model-card", card, "--class", "2", "--guidance", "2.5", "--sampler", "rm-ms",
             "--nfe", "20", "--particles", "400", "--guidance-ceiling", "inf", "--output", output])
        #expect(status == 0, "\(stderr)")
        #expect(stdout.contains("conditional: classes 2, guidance w = 2.5; each evaluation sends both halves"), "\(stdout)")
        let values = try NPY.read(contentsOf: output).values
        let mean0 = stride(from: 0, to: values.count, by: 8).map { values[$0] }.reduce(0, +) / 400
        let mean1 = stride(from: 1, to: values.count, by: 8).map { values[$0] }.reduce(0, +) / 400
        #expect(abs(mean0 - 5.5) < 0.15 && abs(mean1 - 0.5) < 0.15, "means \(mean0), \(mean1)")
        for (args, needle) in [(["--class", "3"], "--class 3: exact-classes has classes 0...2"),
                               (["--guidance", "-1"], "--guidance must be in 0...100"),
                               (["--guidance", "2", "--guidance-ceiling", "0"], "--guidance-ceiling must be a noise-to-signal ratio > 0"),
                               (["--guidance", "2", "--guidance-ceiling", "nan"], "--guidance-ceiling must be a noise-to-signal ratio > 0"),
                               (["--guidance-ceiling", "5"], "--guidance-ceiling limits classifier-free guidance: give --guidance w too")] {
            let (code, _, message) = try MidpointExecutable.run(["sample", "--model-url", url, "--model-card", card] + args)
            #expect(code == 64 && message.contains(needle), "\(args): \(message)")
        }
        let (code, _, message) = try MidpointExecutable.run(["sample", "--model-url", url, "--model-card", Self.card, "--class", "1"])
        #expect(code == 64 && message.contains("the card of exact has no class_input"), "\(message)")
    }

    /// A server killed mid-run stops the command with a clear error within the request timeout (3 s,
    /// one retry after 0.1 s: at most ~6.1 s after the kill, bounded here by 12 s), and leaves no output
    /// file and no temporary file.
    @Test func killedServerGivesAClearErrorAndNoOutput() throws {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["MIDPOINT_TEST_KILLABLE_SERVER"], let pid = env["MIDPOINT_TEST_KILLABLE_SERVER_PID"].flatMap({ Int32($0) }) else {
            Issue.record("scripts/test-with-server exports MIDPOINT_TEST_KILLABLE_SERVER and its PID")
            return
        }
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out/samples.npy")
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        let run = Process()
        guard let executable = MidpointExecutable.url() else {
            Issue.record("no midpoint executable near the test runner")
            return
        }
        run.executableURL = executable
        run.arguments = ["sample", "--model-url", url, "--model-card", Self.card, "--sampler", "rm",
                         "--steps", "200", "--particles", "50", "--request-timeout", "3", "--retries", "1", "--output", output.path]
        let err = Pipe()
        run.standardError = err
        run.standardOutput = FileHandle.nullDevice
        try run.run()
        Thread.sleep(forTimeInterval: 2)  // 200 steps × 2 calls × 100 ms: the run is well under way
        #expect(run.isRunning, "the run ended before the server was killed")
        kill(pid, SIGKILL)
        let killed = Date()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        let seconds = Date().timeIntervalSince(killed)
        #expect(run.terminationStatus != 0)
        #expect(message.contains("the model failed: cannot reach \(url)/v2/models/exact/infer"), "\(message)")
        #expect(seconds < 12, "the run took \(seconds) s to stop after the kill")
        let left = try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)
        #expect(left.isEmpty, "files left behind: \(left)")
    }
}
