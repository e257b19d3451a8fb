import Foundation
import Midpoint
import MidpointRemote
import MidpointTestSupport
import Testing

/// The served model's URLs (scripts/test-with-server): REST (JSON) and gRPC (raw) of the same MLServer,
/// and REST with binary tensors of serve/binary_tensor_server.py.
enum TestServer {
    static let rest = ProcessInfo.processInfo.environment["MIDPOINT_TEST_SERVER"]
    static let grpc = ProcessInfo.processInfo.environment["MIDPOINT_TEST_GRPC_SERVER"]
    static let binary = ProcessInfo.processInfo.environment["MIDPOINT_TEST_BINARY_SERVER"]
    /// The shared server's gRPC URL when it also serves the Fashion-MNIST UNet (MIDPOINT_TEST_FASHION=1).
    static let fashion = ProcessInfo.processInfo.environment["MIDPOINT_TEST_FASHION_SERVER"]
    static var urls: [String] { [rest, grpc, binary].compactMap { $0 } }
}

/// The remote score model against a real Open Inference Protocol server: MLServer serving the exact score
/// of N(0.5·1, 0.3 I) in 8 dimensions (serve/exact_runtime.py), started by `scripts/serve` — `make test`
/// and `.ci/run` start it and export its URLs as MIDPOINT_TEST_SERVER and MIDPOINT_TEST_GRPC_SERVER.
@Suite(.serialized, .enabled(if: TestServer.rest != nil,
                             "needs a running test server: scripts/test-with-server, or scripts/serve PORT and MIDPOINT_TEST_SERVER=http://127.0.0.1:PORT"))
struct RemoteScoreModelTests {
    static let card = ModelCard(name: "exact", prediction: .score, time: .ouTime, sampleShape: [8], dtype: "FP64")

    static func options(particles: Int, seed: UInt64) -> DiffusionRunOptions {
        var options = DiffusionRunOptions(particles: particles, seed: seed)
        options.cost = .nfe(20)
        options.threads = 2
        return options
    }

    /// Remote and in-process sampling of the same target with the same seed agree sample by sample, over
    /// REST (JSON) and gRPC (raw bytes): the server computes in float64 and both wire formats carry every
    /// double exactly (JSON as shortest round-trip text), so the only difference is NumPy's and Swift's
    /// rounding of the score, ~1e-16 relative per call, amplified by at most the sampler's gain over 20
    /// steps; the bound is 1e-9 relative.
    @Test(arguments: TestServer.urls)
    func remoteSamplingMatchesInProcess(url: String) throws {
        let remote = try RemoteScoreModel.connect(url: url, card: Self.card)
        let target = try GaussianMixtureTarget(mean: [Double](repeating: 0.5, count: 8), covariance: .isotropic(0.3))
        let sampler = try SamplerRegistry.sampler(named: "rm-ms")
        let a = try DiffusionRun.run(sampler, model: remote, options: Self.options(particles: 600, seed: 4))
        let b = try DiffusionRun.run(sampler, model: target, options: Self.options(particles: 600, seed: 4))
        #expect(a.nfe == b.nfe && a.rounds == b.rounds)
        var worst = 0.0
        for (x, y) in zip(a.samples.storage, b.samples.storage) { worst = max(worst, abs(x - y) / max(abs(y), 1)) }
        #expect(worst <= 1e-9, "largest relative difference \(worst) over \(url)")
    }

    /// A conditional model (serve/exact-classes.card.json: label c moves coordinate 0's mean by c) under
    /// classifier-free guidance: the served outputs combined as `o_u + w (o_c - o_u)` are the score of
    /// the law whose coordinate-0 mean is `0.5 + w·c`, so guided sampling must give the in-process samples
    /// of that closed form (`ClassShiftedGaussian`, which maps batch row r to particle r mod N as the
    /// remote model does) — for w = 0 (null label only), 1 (conditional only) and 2.5 (both halves in one
    /// request), for one class and for every class, for a sequential and a Picard sampler (whose rounds
    /// stack one block of particles per sub-step). Bound as above: 1e-9 relative. With a guidance ceiling
    /// (σ/α = 3, inside the default grid from 80) the rows above it get w = 1 and the rest w, in requests
    /// that mix both, and the closed form with the same interval is met again.
    @Test(arguments: [TestServer.rest, TestServer.grpc].compactMap { $0 })
    func guidedSamplingIsTheClosedForm(url: String) throws {
        let card = try ModelCard.parse(Data(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("serve/exact-classes.card.json")))
        let particles = 90
        for (choice, w, samplerName, ceiling) in [(ClassChoice.fixed(2), 0.0, "rm-ms", Double.infinity), (.fixed(2), 1.0, "rm-ms", .infinity),
                                                  (.all, 2.5, "rm-ms", .infinity), (.random, 2.5, "rm-parallel", .infinity),
                                                  (.all, 2.5, "rm-ms", 3), (.random, 2.5, "rm-parallel", 3)] {
            let labels = choice.labels(particles: 0..<particles, classes: 3, seed: 4)
            let conditioning = RemoteConditioning(labels: labels, guidance: w, null: 3, guidanceCeiling: ceiling)
            let remote = try RemoteScoreModel.connect(url: url, card: card, options: RemoteCallOptions(maxBatchSize: 64, inFlight: 2),
                                                      conditioning: conditioning)
            let local = ClassShiftedGaussian(labels: labels.map(Double.init), guidance: w, ceiling: ceiling)
            let sampler = try SamplerRegistry.sampler(named: samplerName)
            let a = try DiffusionRun.run(sampler, model: remote, options: Self.options(particles: particles, seed: 4))
            let b = try DiffusionRun.run(sampler, model: local, options: Self.options(particles: particles, seed: 4))
            #expect(a.nfe == b.nfe && a.rounds == b.rounds)
            var worst = 0.0
            for (x, y) in zip(a.samples.storage, b.samples.storage) { worst = max(worst, abs(x - y) / max(abs(y), 1)) }
            #expect(worst <= 1e-9, "\(choice), w = \(w), ceiling \(ceiling), \(samplerName) over \(url): largest relative difference \(worst)")
        }
        // A card without a class input cannot be conditioned.
        #expect(throws: RemoteModelError.self) {
            _ = try RemoteScoreModel.connect(url: url, card: Self.card, conditioning: RemoteConditioning(labels: [0], guidance: 2, null: 3))
        }
    }

    /// A server that lists the per-row inputs as `[-1, 1]` (a Triton model with batching; here
    /// serve/exact_runtime.py with column_inputs, which refuses `[N]` as Triton does) is sent `[N, 1]`:
    /// guided sampling through it is the closed form again, and a client held to `[N]` is refused.
    @Test(arguments: [TestServer.rest, TestServer.grpc].compactMap { $0 })
    func columnShapedInputsFollowTheMetadata(url: String) throws {
        let card = try ModelCard.parse(Data(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("serve/exact-columns.card.json")))
        let particles = 60
        let labels = ClassChoice.all.labels(particles: 0..<particles, classes: 3, seed: 4)
        let conditioning = RemoteConditioning(labels: labels, guidance: 2.5, null: 3, guidanceCeiling: .infinity)
        let remote = try RemoteScoreModel.connect(url: url, card: card, options: RemoteCallOptions(maxBatchSize: 64, inFlight: 2),
                                                  conditioning: conditioning)
        #expect((remote.transport as? GRPCInferenceClient)?.rowInputs ?? (remote.transport as? RESTInferenceClient)?.rowInputs
                == RowInputShapes(timeAsColumn: true, labelAsColumn: true))
        let sampler = try SamplerRegistry.sampler(named: "rm-ms")
        let a = try DiffusionRun.run(sampler, model: remote, options: Self.options(particles: particles, seed: 4))
        let b = try DiffusionRun.run(sampler, model: ClassShiftedGaussian(labels: labels.map(Double.init), guidance: 2.5),
                                     options: Self.options(particles: particles, seed: 4))
        var worst = 0.0
        for (x, y) in zip(a.samples.storage, b.samples.storage) { worst = max(worst, abs(x - y) / max(abs(y), 1)) }
        #expect(worst <= 1e-9, "largest relative difference \(worst) over \(url)")
        // The same server, asked with [N]: its refusal comes back as the server's message.
        let endpoint = try RemoteEndpoint(parsing: url)
        let vectors: any InferenceTransport = endpoint.scheme == .grpc
            ? try GRPCInferenceClient(host: endpoint.host, port: endpoint.port ?? 0, card: card)
            : RESTInferenceClient(baseURL: endpoint.url, card: card)
        let x = [Double](repeating: 0.1, count: 8), t = [0.5]
        var out = [Double](repeating: 0, count: 8)
        let labelsIn: [Int64] = [1]
        do {
            try x.withUnsafeBufferPointer { xs in try t.withUnsafeBufferPointer { ts in try labelsIn.withUnsafeBufferPointer { ls in
                try out.withUnsafeMutableBufferPointer { try vectors.infer(samples: xs, rows: 1, times: ts, labels: ls, into: $0) } } } }
            Issue.record("a [N] time input must be refused by a server that declares [-1, 1]")
        } catch {
            #expect("\(error)".contains("Expected [-1,1], got [1]"), "\(error)")
        }
    }

    /// Each server is spoken to in its best wire format: JSON for MLServer's REST (it lists no binary
    /// extension), raw bytes over gRPC, binary tensors where `GET /v2` lists `binary_tensor_data`.
    @Test func wireFormatFollowsTheServer() throws {
        let expected = [(TestServer.rest, "REST/JSON"), (TestServer.grpc, "gRPC/raw"), (TestServer.binary, "REST/binary")]
        for case let (url?, wire) in expected {
            #expect(try RemoteScoreModel.connect(url: url, card: Self.card).transport.wireFormat == wire, "\(url)")
        }
    }

    /// A batch split into many requests, several in flight, gives exactly the samples of one request per
    /// batch: the server scores each row on its own, so the split changes nothing (bit-identical).
    @Test(arguments: TestServer.urls)
    func splitRequestsChangeNothing(url: String) throws {
        let whole = try RemoteScoreModel.connect(url: url, card: Self.card, options: RemoteCallOptions(maxBatchSize: 4096, inFlight: 1))
        let split = try RemoteScoreModel.connect(url: url, card: Self.card, options: RemoteCallOptions(maxBatchSize: 37, inFlight: 5))
        let sampler = try SamplerRegistry.sampler(named: "rm")
        let a = try DiffusionRun.run(sampler, model: whole, options: Self.options(particles: 300, seed: 9))
        let b = try DiffusionRun.run(sampler, model: split, options: Self.options(particles: 300, seed: 9))
        #expect(a.samples.storage == b.samples.storage)
        #expect(a.rounds == b.rounds && a.nfe == b.nfe)
    }

    /// The shipped digits network served by MLServer (serve/digits_runtime.py, NumPy, float64) and called
    /// through its card gives the samples of the network run in process, over REST and gRPC: the two
    /// forward passes differ by summation order only (~1e-14 in ε), which 20 steps of rm-ms do not amplify
    /// past 1e-9 relative.
    @Test(arguments: [TestServer.rest, TestServer.grpc].compactMap { $0 })
    func servedDigitsNetworkMatchesInProcess(url: String) throws {
        let card = try ShippedModel.digits.card()
        let remote = try RemoteScoreModel.connect(url: url, card: card)
        let network = try ShippedModel.resolve("digits")
        let sampler = try SamplerRegistry.sampler(named: "rm-ms")
        let a = try DiffusionRun.run(sampler, model: remote, options: Self.options(particles: 100, seed: 3))
        let b = try DiffusionRun.run(sampler, model: network, options: Self.options(particles: 100, seed: 3))
        var worst = 0.0
        for (x, y) in zip(a.samples.storage, b.samples.storage) { worst = max(worst, abs(x - y) / max(abs(y), 1)) }
        #expect(worst <= 1e-9, "largest relative difference \(worst) over \(url)")
    }

    /// A card the server's metadata contradicts is refused at connection, naming the tensor.
    @Test(arguments: TestServer.urls)
    func mismatchedCardIsRefusedAtConnection(url: String) throws {
        let cases: [(ModelCard, String)] = [
            (ModelCard(name: "exact", prediction: .score, time: .ouTime, sampleShape: [8], dtype: "FP64", sampleTensor: "x"),
             "the card's sample input \"x\" is not among the server's (sample, timestep)"),
            (ModelCard(name: "exact", prediction: .score, time: .ouTime, sampleShape: [8], dtype: "FP32"),
             "sample input \"sample\" is FP64 on the server, FP32 in the card"),
            (ModelCard(name: "exact", prediction: .score, time: .ouTime, sampleShape: [1, 3, 3], dtype: "FP64"),
             "sample input \"sample\" has shape [-1, 8] on the server; the card's sample shape needs [-1, 1, 3, 3]"),
        ]
        for (card, message) in cases {
            do {
                _ = try RemoteScoreModel.connect(url: url, card: card, options: RemoteCallOptions(timeout: 5))
                Issue.record("connecting with a mismatched card must fail: \(message)")
            } catch {
                #expect(error.description.contains(message), "\(error)")
            }
        }
    }

    /// A model the server does not have is not ready: the connection fails within the timeout.
    @Test(arguments: TestServer.urls)
    func unknownModelIsNotReady(url: String) throws {
        let card = ModelCard(name: "nope", prediction: .score, time: .ouTime, sampleShape: [8], dtype: "FP64")
        let start = Date()
        do {
            _ = try RemoteScoreModel.connect(url: url, card: card, options: RemoteCallOptions(timeout: 1))
            Issue.record("an unknown model must not be ready")
        } catch {
            // The reason names the server's last answer (MLServer: 404 or NOT_FOUND).
            #expect(error.description.contains("is not ready") && error.description.contains("last answer: "), "\(error)")
        }
        #expect(Date().timeIntervalSince(start) < 5)
    }
}

/// Errors that need no server.
struct RemoteErrorTests {
    /// An unreachable server stops the run with the connection error (after the retries, within the
    /// timeout), not with a non-finite state — over either transport.
    @Test(arguments: ["http://127.0.0.1:9", "grpc://127.0.0.1:9"])
    func unreachableServerIsAClearError(url: String) throws {
        let options = RemoteCallOptions(timeout: 2, retries: 1)
        let transport: any InferenceTransport = url.hasPrefix("grpc")
            ? try GRPCInferenceClient(host: "127.0.0.1", port: 9, card: RemoteScoreModelTests.card, options: options)
            : RESTInferenceClient(baseURL: url, card: RemoteScoreModelTests.card, options: options, binary: false)
        var run = DiffusionRunOptions(particles: 10, seed: 1)
        run.cost = .steps(4)
        let start = Date()
        do {
            _ = try DiffusionRun.run(DDIMSampler(), model: RemoteScoreModel(transport: transport), options: run)
            Issue.record("an unreachable server must fail the run")
        } catch {
            #expect(error.description.contains("the model failed: cannot reach \(url)"), "\(error)")
        }
        #expect(Date().timeIntervalSince(start) < 10)
    }

    /// Bad URLs and options are refused before any connection, naming what is allowed.
    @Test func badURLsAndOptionsAreRefused() {
        let card = RemoteScoreModelTests.card
        let cases: [(String, RemoteCallOptions, String)] = [
            ("ftp://127.0.0.1:1", RemoteCallOptions(), "unknown scheme ftp: use http, https, grpc"),
            // Out-of-range ports are refused before any connection (one once trapped inside the HTTP stack).
            ("http://127.0.0.1:99999", RemoteCallOptions(), "model URL 'http://127.0.0.1:99999'"),
            ("grpc://127.0.0.1", RemoteCallOptions(), "a grpc:// URL needs a port in 1...65535"),
            ("http://127.0.0.1:1/v2/models", RemoteCallOptions(), "without a path"),
            ("not a url", RemoteCallOptions(), "expected http://HOST:PORT"),
            ("http://127.0.0.1:1", RemoteCallOptions(inFlight: 0), "remote in flight 0 is out of range"),
            ("http://127.0.0.1:1", RemoteCallOptions(timeout: -1), "remote timeout -1.0 is out of range"),
        ]
        for (url, options, message) in cases {
            do {
                _ = try RemoteScoreModel.connect(url: url, card: card, options: options)
                Issue.record("\(url) must be refused")
            } catch {
                #expect(error.description.contains(message), "\(error)")
            }
        }
    }

    /// JSON answers: every double exactly, whatever the spacing; malformed or wrong answers are refused
    /// with what was wrong (the scanner falls back to the full decoder, which names the field).
    @Test func jsonAnswersAreReadExactlyOrRefused() throws {
        let card = RemoteScoreModelTests.card
        let values = [0.1, -2.5e-300, 1.7976931348623157e308, 5e-324, -0.0, 0.30000000000000004, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        let text = values.map(\.description).joined(separator: " ,\n ")
        let zeros = [String](repeating: "0.0", count: 16).joined(separator: ",")
        let decode = { (body: String) -> Result<[Double], RemoteModelError> in
            var out = [Double](repeating: .nan, count: 16)
            let answer = TensorAnswer(url: "u", card: card, count: 16)
            do {
                try out.withUnsafeMutableBufferPointer { (o) throws(RemoteModelError) in try answer.decodeJSON(Data(body.utf8), into: o) }
                return .success(out)
            } catch let error as RemoteModelError {
                return .failure(error)
            } catch {
                return .failure(.badResponse(url: "u", reason: "\(error)"))
            }
        }
        let good = #"{"model_name":"exact","outputs":[{"name":"other","datatype":"FP64","shape":[1],"data":[9]},{"name":"output","datatype":"FP64","shape":[2,8],"data" : [ \#(text) ]}]}"#
        #expect((try? decode(good).get()) == values)
        let bad: [(String, String)] = [
            (#"{"outputs":[{"name":"output","datatype":"FP64","data":[1,2]}]}"#, "the output has 2 values, expected 16"),
            (#"{"outputs":[{"name":"output","datatype":"INT8","data":[\#(text)]}]}"#, "output datatype INT8"),
            (#"{"outputs":[{"name":"output","datatype":"FP64","data":[\#(text.replacingOccurrences(of: "0.1", with: "NaN"))]}]}"#, "output value 0 (row 0) is nan, not a finite number"),
            (#"{"outputs":[{"name":"output","datatype":"FP64","data":[1,,2]}]}"#, "not an inference response"),
            (#"{"outputs":[{"name":"x","datatype":"FP64","data":[1]},{"name":"y","datatype":"FP64","data":[1]}]}"#, "no output tensor named \"output\""),
            (#"{"error":"model crashed"}"#, "not an inference response: missing \"outputs\""),
            (#"{"outputs":[{"name":"output","datatype":"FP64","data":[\#(text.replacingOccurrences(of: "10.0", with: "1e999"))]}]}"#, "output value 15 (row 1) is inf, not a finite number"),
            // Answers that contradict the card: two outputs of the card's name (the first all zeros), only an
            // output of another name, FP32 on an FP64 card, a shape that is not rows × the sample shape.
            (#"{"outputs":[{"name":"output","datatype":"FP64","data":[\#(zeros)]},{"name":"output","datatype":"FP64","data":[\#(text)]}]}"#,
             "2 output tensors are named \"output\": the answer is ambiguous"),
            (#"{"outputs":[{"name":"other","datatype":"FP64","data":[\#(text)]}]}"#, "no output tensor named \"output\" (the answer has \"other\")"),
            (#"{"outputs":[{"name":"output","datatype":"FP32","data":[\#(text)]}]}"#, "output datatype FP32, the card expects FP64"),
            (#"{"outputs":[{"name":"output","datatype":"FP64","shape":[4,4],"data":[\#(text)]}]}"#, "output shape [4, 4], the card's sample shape [8] gives [2, 8]"),
        ]
        for (body, message) in bad {
            switch decode(body) {
            case .success: Issue.record("\(body) must be refused")
            case let .failure(error): #expect(error.description.contains(message), "\(body): \(error)")
            }
        }
    }

    /// Binary answers whose byte counts do not add up are refused (never a short read that leaves the
    /// previous round's values in place, never a read outside the answer); an FP32 JSON answer gives the
    /// floats it denotes, as the raw paths do.
    @Test func inconsistentBinaryAnswersAreRefused() throws {
        let card = ModelCard(name: "exact", prediction: .score, time: .ouTime, sampleShape: [2], dtype: "FP64")
        let answer = TensorAnswer(url: "u", card: card, count: 2)
        func decode(header: String, payload: Int) -> String? {
            let head = Data(header.utf8)
            var out = [Double](repeating: 7, count: 2)
            do {
                try out.withUnsafeMutableBufferPointer { (o) throws(RemoteModelError) in
                    try answer.decodeBinary(head + Data(count: payload), headerLength: head.count, into: o)
                }
                return nil
            } catch { return error.description }
        }
        let size = { (n: Int) in #"{"outputs":[{"name":"output","datatype":"FP64","parameters":{"binary_data_size":\#(n)}}]}"# }
        #expect(decode(header: size(16), payload: 16) == nil)
        #expect(decode(header: size(17), payload: 17)?.contains("the output has 17 bytes, expected 16") == true)
        #expect(decode(header: size(16), payload: 8)?.contains("claims 16 bytes, but 8 remain") == true)
        let negative = #"{"outputs":[{"name":"other","parameters":{"binary_data_size":-9}},{"name":"output","datatype":"FP64","parameters":{"binary_data_size":16}}]}"#
        #expect(decode(header: negative, payload: 16)?.contains("claims -9 bytes") == true)

        let fp32 = ModelCard(name: "exact", prediction: .score, time: .ouTime, sampleShape: [2], dtype: "FP32")
        var out = [Double](repeating: 0, count: 2)
        try out.withUnsafeMutableBufferPointer { (o) throws(RemoteModelError) in
            try TensorAnswer(url: "u", card: fp32, count: 2)
                .decodeJSON(Data(#"{"outputs":[{"name":"output","datatype":"FP32","data":[0.1,-3.3]}]}"#.utf8), into: o)
        }
        #expect(out == [Double(Float(0.1)), Double(Float(-3.3))])
    }

    /// Retries back off 0.1 s, 0.2 s, … up to 5 s each, so even 20 retries end within ~81 s.
    @Test func backoffIsCapped() {
        #expect(RemoteCallOptions.backoff(attempt: 1) == 0.1 && RemoteCallOptions.backoff(attempt: 3) == 0.4)
        #expect(RemoteCallOptions.backoff(attempt: 20) == 5 && RemoteCallOptions.backoff(attempt: 1000) == 5)
        #expect((1...20).map(RemoteCallOptions.backoff).reduce(0, +) < 81)
    }

    /// Raw tensors round-trip exactly in FP64 and to the nearest float in FP32.
    @Test func rawTensorsRoundTrip() {
        let values = [0.1, -2.5e-300, 1e300, .pi, -0.0]
        for dtype in ["FP64", "FP32"] {
            var decoded = [Double](repeating: .nan, count: values.count)
            let bytes = values.withUnsafeBufferPointer { RawTensor.bytes($0, dtype: dtype) }
            let ok = decoded.withUnsafeMutableBufferPointer { RawTensor.decode(bytes, datatype: dtype, count: values.count, into: $0) }
            #expect(ok)
            #expect(decoded == (dtype == "FP64" ? values : values.map { Double(Float($0)) }))
            #expect(bytes.count == values.count * (dtype == "FP64" ? 8 : 4))
        }
    }
}

/// The score of N(m_p, 0.3 I) with `m_p = 0.5·1 + w·label_p e₀` for particle p: what guidance with scale w
/// makes of the served exact-classes model. It takes whole batches, so batch row r is particle r mod N.
/// At noise-to-signal ratios at or above `ceiling` the scale is 1 (the conditional model alone).
struct ClassShiftedGaussian: ScoreModel {
    let labels: [Double]
    let guidance: Double
    var ceiling: Double = .infinity
    var dimension: Int { 8 }
    var scoresWholeBatches: Bool { true }

    func score(times: UnsafeBufferPointer<Double>, x: MatrixView, into scores: MutableMatrixView) {
        for r in 0..<x.rows {
            let alpha = exp(-times[r]), sigma2 = -expm1(-2 * times[r])
            let w = ForwardProcess.noiseToSignal(times[r]) >= ceiling ? 1 : guidance
            for j in 0..<8 {
                let mean = 0.5 + (j == 0 ? w * labels[r % labels.count] : 0)
                scores[r, j] = -(x[r, j] - alpha * mean) / (alpha * alpha * 0.3 + sigma2)
            }
        }
    }
}

/// The Fashion-MNIST UNet served by MLServer over ONNX Runtime (serve/onnx_runtime.py) answers what PyTorch
/// computed for the same inputs (Fixtures/fashion-vectors.safetensors, from scripts/check_fashion_export.py:
/// 8 noised test images at assorted fractional steps and labels, the null label among them) to 1e-5
/// relative in the batch's norm, over REST/JSON and gRPC/raw; and a guided request's output is
/// `o_u + w (o_c - o_u)` of the two halves sent alone, to float32 rounding.
@Suite(.serialized, .enabled(if: TestServer.fashion != nil, "needs the test server with the fashion model: scripts/test-with-server"))
struct ServedFashionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func onnxMatchesPyTorchAndGuidanceIsTheFormula() throws {
        let card = try ModelCard.parse(Data(contentsOf: Self.root.appendingPathComponent("models/fashion/fashion.card.json")))
        let file = try SafeTensors.read(contentsOf: Self.root.appendingPathComponent("Tests/MidpointRemoteTests/Fixtures/fashion-vectors.safetensors").path)
        let sample = try file.tensor("sample").values, time = try file.tensor("timestep").values
        let labels = try file.tensor("class_labels").values.map { Int64($0) }, expected = try file.tensor("output").values
        let grpc = try #require(TestServer.fashion)
        for url in [grpc, TestServer.rest].compactMap({ $0 }) {
            let model = try RemoteScoreModel.connect(url: url, card: card)
            var output = [Double](repeating: 0, count: expected.count)
            try sample.withUnsafeBufferPointer { s in
                try time.withUnsafeBufferPointer { t in
                    try labels.withUnsafeBufferPointer { l in
                        try output.withUnsafeMutableBufferPointer { o in
                            try model.transport.infer(samples: s, rows: 8, times: t, labels: l, into: o)
                        }
                    }
                }
            }
            let error = zip(output, expected).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            let norm = expected.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(error / norm <= 1e-5, "\(url): relative error \(error / norm)")
        }
        // Guidance: one guided evaluation against the two halves requested alone.
        let w = 2.5
        let labels0 = [Int64](repeating: 3, count: 8)
        let conditional = try RemoteScoreModel.connect(url: grpc, card: card, conditioning: RemoteConditioning(labels: labels0, guidance: 1, null: 10))
        let unconditional = try RemoteScoreModel.connect(url: grpc, card: card, conditioning: RemoteConditioning(labels: labels0, guidance: 0, null: 10))
        let guided = try RemoteScoreModel.connect(url: grpc, card: card, conditioning: RemoteConditioning(labels: labels0, guidance: w, null: 10))
        let x = Matrix(rows: 8, columns: 784, storage: sample)
        // Rows 0-3 below the default guidance ceiling (σ/α ≈ 2.2 at τ = 0.8), rows 4-7 above it (≈ 20 at τ = 3).
        let times = [Double](repeating: 0.8, count: 4) + [Double](repeating: 3, count: 4)
        #expect(ForwardProcess.noiseToSignal(0.8) < RemoteConditioning.defaultGuidanceCeiling
                && ForwardProcess.noiseToSignal(3) > RemoteConditioning.defaultGuidanceCeiling)
        func scores(_ m: RemoteScoreModel) -> [Double] {
            var out = Matrix(rows: 8, columns: 784)
            times.withUnsafeBufferPointer { t in x.withView { xv in out.withMutableView { ov in m.score(times: t, x: xv, into: ov) } } }
            return out.storage
        }
        let (c, u, g) = (scores(conditional), scores(unconditional), scores(guided))
        var worst = 0.0, scale = 0.0
        for k in c.indices {
            let expected = k < 4 * 784 ? u[k] + w * (c[k] - u[k]) : c[k]
            worst = max(worst, abs(g[k] - expected)); scale = max(scale, abs(g[k]))
        }
        #expect(worst <= 1e-9 * max(scale, 1), "guided output differs from the formula (o_c above the ceiling) by \(worst)")
    }

    /// No sampler loses particles on the served UNet at 4, 5 or 6 NFE with its defaults (the x̂₀ guard of a
    /// card with a data range, as `sample` applies it), guided with w = 2 — the strongest pull off the data of
    /// the settings in docs/fashion/ — and every class. As on digits (LearnedModelStabilityTests): "lost" is
    /// an RMS coordinate above 100 in the states at δ, before the denoising step (which returns the guarded
    /// x̂₀ and so cannot show it); a budget too small or too coarse for a sampler may be refused.
    @Test(arguments: [4, 5, 6]) func noSamplerDivergesOnTheServedUNet(nfe: Int) throws {
        let card = try ModelCard.parse(Data(contentsOf: Self.root.appendingPathComponent("models/fashion/fashion.card.json")))
        let range = try #require(card.dataRange)
        let particles = 20
        let labels = ClassChoice.all.labels(particles: 0..<particles, classes: 10, seed: 0)
        let served = try RemoteScoreModel.connect(url: try #require(TestServer.fashion), card: card,
                                                  conditioning: RemoteConditioning(labels: labels, guidance: 2, null: 10))
        let model = DataRangeControlledModel(served, range: range, control: .guardRail)
        let sweep = try StabilitySweep(model: model, nfe: nfe, particles: particles)
        for (name, error) in sweep.failures { Issue.record("\(name) at \(nfe) NFE: \(error)") }
        for (name, diverged) in sweep.ran {
            #expect(diverged == 0, "\(name) at \(nfe) NFE: \(diverged) of \(particles) samples diverged")
        }
        // Not vacuous: most samplers run at this budget (the rest are refused as too small or unstable).
        #expect(sweep.ran.count >= SamplerRegistry.names.count / 2, "only \(sweep.ran.count) samplers ran at \(nfe) NFE")
    }
}
