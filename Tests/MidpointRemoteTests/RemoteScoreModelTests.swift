import Foundation
import Midpoint
import MidpointRemote
import Testing

/// The remote score model against a real Open Inference Protocol server: MLServer serving the exact score
/// of N(0.5·1, 0.3 I) in 8 dimensions (serve/exact_runtime.py), started by `scripts/serve` — `make test`
/// and `.ci/run` start it and export its URL as MIDPOINT_TEST_SERVER.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MIDPOINT_TEST_SERVER"] != nil,
                "needs a running test server: scripts/serve PORT, then MIDPOINT_TEST_SERVER=http://127.0.0.1:PORT"))
struct RemoteScoreModelTests {
    static let card = ModelCard(name: "exact", prediction: .score, time: .ouTime, sampleShape: [8], dtype: "FP64")

    /// Remote and in-process sampling of the same target with the same seed agree sample by sample: the
    /// server computes in float64 and JSON carries every double exactly (shortest round-trip text), so
    /// the only difference is NumPy's and Swift's rounding of the score, ~1e-16 relative per call,
    /// amplified by at most the sampler's gain over 20 steps; the bound is 1e-9 relative.
    @Test func remoteSamplingMatchesInProcess() throws {
        let url = try #require(ProcessInfo.processInfo.environment["MIDPOINT_TEST_SERVER"])
        let client = InferenceClient(baseURL: url, card: Self.card)
        try client.waitUntilReady(within: 30)
        let remote = RemoteScoreModel(client: client)
        let target = try GaussianMixtureTarget(mean: [Double](repeating: 0.5, count: 8), covariance: .isotropic(0.3))
        var options = DiffusionRunOptions(particles: 600, seed: 4)
        options.cost = .nfe(20)
        options.threads = 2
        let sampler = try SamplerRegistry.sampler(named: "rm-ms")
        let a = try DiffusionRun.run(sampler, model: remote, options: options)
        let b = try DiffusionRun.run(sampler, model: target, options: options)
        #expect(a.nfe == b.nfe && a.rounds == b.rounds)
        var worst = 0.0
        for (x, y) in zip(a.samples.storage, b.samples.storage) { worst = max(worst, abs(x - y) / max(abs(y), 1)) }
        #expect(worst <= 1e-9, "largest relative difference \(worst)")
    }

    /// An unreachable server stops the run with the connection error (after the retries, within the
    /// timeout), not with a non-finite state.
    @Test func unreachableServerIsAClearError() throws {
        let client = InferenceClient(baseURL: "http://127.0.0.1:9", card: Self.card, timeout: 2, retries: 1)
        var options = DiffusionRunOptions(particles: 10, seed: 1)
        options.cost = .steps(4)
        let start = Date()
        do {
            _ = try DiffusionRun.run(DDIMSampler(), model: RemoteScoreModel(client: client), options: options)
            Issue.record("an unreachable server must fail the run")
        } catch {
            #expect(error.description.contains("the model failed: cannot reach http://127.0.0.1:9/v2/models/exact/infer"), "\(error)")
        }
        #expect(Date().timeIntervalSince(start) < 10)
    }
}
