import ArgumentParser
import Foundation
import Midpoint
import MidpointCommands
import MidpointFormats
import MidpointLinearAlgebra
import MidpointTargets
import MidpointTestSupport
import Testing

@Suite struct CLITests {
    /// Parses and runs like the executable; returns the error message ArgumentParser would print.
    func failure(_ args: [String]) -> String? {
        do {
            var command = try MidpointCommand.parseAsRoot(args)
            try command.run()
            return nil
        } catch {
            return MidpointCommand.message(for: error)
        }
    }

    @Test func badFlagsGiveOneClearMessage() {
        var cases: [([String], String)] = [
            (["sample", "--particles", "1"], "--particles must be at least 2"),
            (["sample", "--steps", "0"], "--steps must be in 1...1000000"),
            (["sample", "--threads", "0"], "--threads must be in 1...1024"),
            (["sample", "--early-stop", "9"], "0 < δ < T"),
            (["sample", "--horizon", "nan"], "--horizon must be finite"),
            (["sample", "--grid", "cosine"], "'cosine' is invalid for '--grid"),
            (["sample", "--sampler", "rk4", "--particles", "4"], "unknown sampler 'rk4'"),
            (["sample", "--target", "nope", "--particles", "4"], "unknown target 'nope'"),
            (["sample", "--output", "x.csv"], "--output must name a .npy file"),
            (["sample", "--seed", "-1"], "The value '-1' is invalid for '--seed <seed>'"),
            (["sample", "--steps", "2000000"], "--steps must be in 1...1000000"),
            (["sample", "--target", "product1024", "--particles", "1000000"], "too large"),
            (["compare", "--axis", "time"], "'time' is invalid for '--axis"),
            (["sample", "--paradigms-base", "euler"], "'euler' is invalid for '--paradigms-base"),
            (["compare", "--nfe", "5,x"], "item 2 'x' is not an integer"),
            // Comma lists refuse empty items instead of dropping them.
            (["compare", "--nfe", "5,,10"], "item 2 is empty"),
            (["compare", "--samplers", "ddim,"], "item 2 is empty"),
            (["scaling", "--dims", ""], "item 1 is empty"),
            (["mcmc-cost", "--samplers", "ula,mala"], "--samplers: unknown sampler (exact costs cover only linear samplers) 'mala'"),
            (["mcmc-cost", "--start", "/nonexistent.csv"], "--start must be mode, ones or a .npy/.csv file of 100 numbers"),
            (["models", "--check", "ring2d", "--times", "0.1,0"], "--times entries must be finite and > 0 (got 0.0)"),
            (["compare", "--samplers", "ddim,rk4"], "unknown sampler 'rk4'"),
            (["compare", "--plot", "x.png"], "--plot must name a .svg file"),
            (["scaling", "--family", "cube"], "'cube' is invalid for '--family"),
            (["scaling", "--dims", "0,16"], "--dims entries must be in 1...100000 (got 0)"),
            (["sample", "--latency=-1"], "--latency must be in"),
            (["sample", "--sampler", "rm-parallel", "--picard-tolerance", "nan"], "--picard-tolerance nan is invalid for rm-parallel: must be finite and ≥ 0"),
            (["sample", "--picard-tolerance", "0.1"], "--picard-tolerance is not read by rm-ms; the samplers that read it: rm-parallel, paradigms"),
            (["sample", "--interpolant", "cubic"], "'cubic' is invalid for '--interpolant"),
            // Extreme coefficients are refused up front (they once trapped in a precondition or Int()).
            (["sample", "--sampler", "rm-pc", "--corrector-friction", "1e308"], "--corrector-friction 1e+308 is invalid for rm-pc: must be in"),
            (["mcmc", "--sampler", "rm-ulmc-parallel", "--step-size", "1e308"], "--step-size must be in"),
            // Output paths are checked before any sampling.
            (["sample", "--output", "/nonexistent-dir/s.npy"], "--output: cannot write '/nonexistent-dir/s.npy': the directory '/nonexistent-dir' does not exist"),
            (["compare", "--csv", "/tmp"], "--csv must name a .csv file"),
            (["sample", "--nfe", "9223372036854775807"], "--nfe must be in 1...1000000"),
            // Memory is estimated before allocating: a one-window Picard batch of 200 steps here is ~650 GB.
            (["sample", "--target", "product1024", "--sampler", "rm-parallel", "--steps", "200", "--particles", "100000"],
             "rm-parallel would need about"),
            (["sample", "--corrector-integrator", "rk4"], "'rk4' is invalid for '--corrector-integrator"),
            (["sample", "--sampler", "rm-pc", "--corrections", "0"], "--corrections 0 is invalid for rm-pc: must be in 1...10000"),
            // A negative number is a value, not a flag: the message says what is allowed.
            (["sample", "--sampler", "rm-pc", "--corrector-ratio", "-1"], "--corrector-ratio -1.0 is invalid for rm-pc: must be in 0.0...100.0"),
            (["sample", "--particles", "-5"], "--particles must be at least 2"),
            (["sample", "--horizon", "-3"], "--horizon must be finite and > 0"),
            (["sample", "--sampler", "rm-parallel", "--parallel-corrector", "--corrector-integrator", "rm"],
             "--corrector-integrator is not read by rm-parallel; the samplers that read it: rm-pc"),
            (["sample", "--sampler", "rm-parallel", "--corrector-steps", "2"], "--corrector-steps 2 is invalid for rm-parallel: read only with parallel-corrector"),
            // compare passes each sampler only what it reads: rm-pc takes --corrector-steps, rm-parallel (without
            // --parallel-corrector) does not; a flag nobody reads is still refused.
            (["compare", "--samplers", "rm-parallel,ddim", "--corrector-steps", "2"], "--corrector-steps is not read by rm-parallel, ddim"),
            (["sample", "--sampler", "rm-parallel", "--picard-window", "4", "--picard-span", "1"], "not both"),
            (["sample", "--sampler", "rm", "--interpolant", "log"], "--interpolant is not read by rm; the samplers that read it: rm-ms"),
            // rm-ms's data form has one interpolant (linear in the log-SNR), so the flag is refused there.
            (["sample", "--sampler", "rm-ms", "--prediction", "data", "--interpolant", "log"],
             "--interpolant log is invalid for rm-ms: read only with prediction noise"),
            (["sample", "--prediction", "x"], "'x' is invalid for '--prediction"),
            (["sample", "--sampler", "ddim", "--prediction", "data"], "--prediction is not read by ddim; the samplers that read it: rm-ms"),
            (["compare", "--samplers", "rm,ddim", "--plain-picard"], "--plain-picard is not read by rm, ddim; the samplers that read it: rm-parallel"),
            (["sample", "--shard-count", "3", "--shard", "0/2", "--output", "/tmp/x.npy"], "--shard-count is the count for --shard auto"),
            // Budgets that would diverge are refused before any work, with what to do instead.
            (["sample", "--target", "ring2d", "--sampler", "rm-score", "--nfe", "5", "--particles", "8"],
             "rm-score is stable only for steps of length ≤ 1.0"),
            (["sample", "--target", "ring2d", "--sampler", "ei-sde", "--nfe", "4", "--particles", "8"],
             "use rm or rm-ms, which are stable at any step"),
            (["sample", "--target", "ring2d", "--sampler", "rm", "--nfe", "4", "--particles", "8"],
             "an NFE budget of 4 is too small for rm: it needs at least 5"),
            (["sample", "--model", "cats", "--particles", "4"], "unknown model 'cats'"),
            (["sample", "--model", "/nonexistent/m.safetensors", "--particles", "4"], "cannot read '/nonexistent/m.safetensors'"),
            (["sample", "--model", "ring2d", "--target", "ring2d"], "give --target or --model, not both"),
            (["sample", "--png", "x.svg"], "--png must name a .png file"),
            (["sample", "--target", "mixture64", "--particles", "4", "--steps", "2", "--png", "/tmp/never.png"], "--png draws image-shaped samples"),
            (["models", "--check", "digits"], "--check needs a network trained on a built-in target"),
            (["models", "--times", "0.1,-1"], "--times entries must be finite and > 0"),
        ]
        #if MIDPOINT_REMOTE
        cases += [
            // Served models: both flags or neither, a usable URL and card, options in range — before any work.
                (["sample", "--model-url", "http://127.0.0.1:1"], "--model-url needs --model-card"),
                (["sample", "--model-card", "/nonexistent.json"], "--model-card describes a served model"),
                (["sample", "--model-url", "ftp://h:1", "--model-card", "/nonexistent.json"], "unknown scheme ftp: use http, https, grpc"),
                (["sample", "--model-url", "http://127.0.0.1:1", "--model-card", "/nonexistent.json"], "--model-card /nonexistent.json: no such file"),
                (["sample", "--model-url", "http://127.0.0.1:1", "--model-card", "/tmp"], "--model-card /tmp: no such file"),
                (["sample", "--in-flight", "0"], "--in-flight: remote in flight 0 is out of range: allowed 1...256 requests"),
                (["sample", "--max-batch-size", "0"], "--max-batch-size: remote max batch size 0 is out of range"),
                (["compare", "--request-timeout", "nan"], "--request-timeout: remote timeout nan is out of range"),
                (["sample", "--retries", "99"], "--retries: remote retries 99 is out of range: allowed 0...20"),
                (["compare", "--model-url", "http://127.0.0.1:9", "--model-card", "/nonexistent.json"], "--model-card /nonexistent.json: no such file"),
        ]
        #else
        cases += [
            (["sample", "--model-url", "http://127.0.0.1:1", "--model-card", "/nonexistent.json"],
             "this midpoint was built without served models; rebuild with `MIDPOINT_REMOTE=1 swift build -c release`"),
            (["sample", "--in-flight", "4"], "--in-flight sets how a served model is called: give --model-url and --model-card"),
        ]
        #endif
        for (args, expected) in cases {
            let message = failure(args)
            #expect(message?.contains(expected) == true, "\(args): \(message ?? "no error")")
        }
    }

    @Test func sampleWritesNpyOfTheRightShape() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID()).npy").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(failure(["sample", "--target", "ring2d", "--particles", "50", "--steps", "5", "--output", path]) == nil)
        let a = try NPY.read(contentsOf: path)
        #expect(a.shape == [50, 2] && a.values.allSatisfy { $0.isFinite })
    }

    /// `--initial` replaces the N(0, I) draw: a deterministic sampler then ignores --seed, a shard starts from
    /// its own rows of the file, and a file of the wrong shape or with a non-finite value is refused unread.
    @Test func sampleStartsFromGivenStates() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("initial-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let states = (0..<80).map { sin(Double($0) * 1.7) * 1.5 }   // 40 × 2, in the range of N(0, I) draws
        try NPY.write(NPYArray(shape: [40, 2], values: states), to: "\(dir)/x.npy")
        let base = ["sample", "--target", "ring2d", "--sampler", "ddim", "--particles", "40", "--nfe", "6"]
        #expect(failure(base + ["--seed", "1", "--initial", "\(dir)/x.npy", "--output", "\(dir)/a.npy"]) == nil)
        #expect(failure(base + ["--seed", "2", "--initial", "\(dir)/x.npy", "--output", "\(dir)/b.npy"]) == nil)
        #expect(failure(base + ["--seed", "1", "--output", "\(dir)/c.npy"]) == nil)
        let a = try NPY.read(contentsOf: "\(dir)/a.npy").values, b = try NPY.read(contentsOf: "\(dir)/b.npy").values
        let c = try NPY.read(contentsOf: "\(dir)/c.npy").values
        #expect(a == b, "ddim is deterministic: from the same states, the seed must not matter")
        #expect(a != c, "--initial must replace the seed's draw")
        // A shard starts from its rows of the file: the merged shards equal the whole run byte for byte.
        for i in 0..<2 {
            #expect(failure(base + ["--seed", "1", "--initial", "\(dir)/x.npy", "--shard", "\(i)/2", "--output", "\(dir)/s\(i).npy"]) == nil)
        }
        #expect(failure(["merge", "\(dir)/s0.npy", "\(dir)/s1.npy", "--output", "\(dir)/m.npy"]) == nil)
        #expect(try NPY.read(contentsOf: "\(dir)/m.npy").values == a)
        // Latents shaped per sample ([N, 2, 1] here, as diffusers' [N, 1, 28, 28]) are the same states.
        try NPY.write(NPYArray(shape: [40, 2, 1], values: states), to: "\(dir)/x3.npy")
        #expect(failure(base + ["--seed", "1", "--initial", "\(dir)/x3.npy", "--output", "\(dir)/d.npy"]) == nil)
        #expect(try NPY.read(contentsOf: "\(dir)/d.npy").values == a)
        try NPY.write(NPYArray(shape: [20, 4], values: states), to: "\(dir)/wide.npy")
        var bad = states
        bad[13] = .nan
        try NPY.write(NPYArray(shape: [40, 2], values: bad), to: "\(dir)/nan.npy")
        let refusals: [(String, String)] = [
            ("\(dir)/wide.npy", "holds 20 × 4 values; this run starts 40 particles of dimension 2, so it needs 40 × 2"),
            ("\(dir)/nan.npy", "non-finite value (nan) in row 6: a run cannot start there"),
            ("\(dir)/missing.npy", "cannot read '\(dir)/missing.npy'"),
        ]
        for (file, expected) in refusals {
            let message = failure(base + ["--initial", file])
            #expect(message?.contains(expected) == true, "\(file): \(message ?? "accepted")")
        }
    }

    @Test func sampleDrawsLearnedModelsAsPictures() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for model in ["ring2d", "digits"] {
            let png = dir.appendingPathComponent("\(model).png").path, npy = dir.appendingPathComponent("\(model).npy").path
            #expect(failure(["sample", "--model", model, "--sampler", "rm", "--particles", "20", "--nfe", "6",
                             "--png", png, "--output", npy]) == nil)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: png)))
            #expect(Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            #expect(try NPY.read(contentsOf: npy).values.allSatisfy(\.isFinite))
        }
    }

    @Test func badTargetFilesGiveOneClearMessage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = [
            ("truncated.json", "{\"kind\": \"gaussian\", \"mean\": [0", "not valid JSON"),
            ("negative.json", #"{"kind": "gaussian", "mean": [0], "covariance": {"isotropic": -1}}"#, "covariance.isotropic"),
        ]
        for (name, text, expected) in files {
            let path = dir.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let message = failure(["sample", "--target", path, "--particles", "4"])
            #expect(message?.contains(expected) == true, "\(name): \(message ?? "no error")")
        }
        // A directory is not a target file.
        #expect(failure(["sample", "--target", dir.path, "--particles", "4"])?.contains("cannot read target file") == true)
    }

    @Test func compareWritesTidyCSVAndSVG() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cmp-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (csv, svg) = (dir.appendingPathComponent("c.csv").path, dir.appendingPathComponent("c.svg").path)
        #expect(failure(["compare", "--target", "ring2d", "--samplers", "ddim,rm", "--nfe", "4,8", "--particles", "64",
                         "--csv", csv, "--plot", svg]) == nil)
        let table = try Table.readCSV(contentsOf: csv)
        #expect(table.columns == ["target", "sampler", "budget", "steps", "nfe", "rounds", "seconds", "model_seconds",
                                  "metric", "value", "floor", "value_clipped", "floor_clipped"])
        // 2 samplers × 2 budgets × 6 metrics for a 2-D mixture.
        #expect(table.rows.count == 2 * 2 * 6)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).hasPrefix("<svg"))
    }

    @Test func scalingFindsStepsAndWritesOutputs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scl-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (csv, svg) = (dir.appendingPathComponent("s.csv").path, dir.appendingPathComponent("s.svg").path)
        #expect(failure(["scaling", "--dims", "4,16", "--samplers", "ddim,rm-parallel", "--tolerance", "0.2",
                         "--particles", "8", "--max-steps", "256", "--csv", csv, "--plot", svg]) == nil)
        let table = try Table.readCSV(contentsOf: csv)
        #expect(table.rows.count == 4)
        // Every cell reached the tolerance (ddim needs tens of steps here, far below the cap).
        #expect(table.rows.allSatisfy { Double($0[5].description).map { $0 <= 0.2 } == true })
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("rounds"))
    }

    @Test func scalingRunsTheMixtureFamily() throws {
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("sclm-\(UUID()).csv").path
        defer { try? FileManager.default.removeItem(atPath: csv) }
        #expect(failure(["scaling", "--family", "mixture", "--dims", "4,16", "--samplers", "ddim,rm", "--tolerance", "0.2",
                         "--particles", "64", "--max-steps", "256", "--csv", csv]) == nil)
        let table = try Table.readCSV(contentsOf: csv)
        #expect(table.rows.count == 4)
        #expect(table.rows.allSatisfy { Double($0[5].description).map { $0 <= 0.2 } == true })
        // More dimensions need at least as many steps for the same total W2.
        #expect(Int(table.rows[1][2].description)! >= Int(table.rows[0][2].description)!)
    }

    @Test func mcmcRunsAndValidates() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mc-\(UUID()).npy").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(failure(["mcmc", "--potential", "gaussian-ill", "--sampler", "rm-ulmc", "--chains", "3", "--draws", "20",
                         "--warmup", "10", "--output", out, "--max-rows", "2"]) == nil)
        let draws = try NPY.read(contentsOf: out)
        #expect(draws.shape == [3, 20, 50])
        let cases: [([String], String)] = [
            (["mcmc", "--chains", "1"], "--chains must be at least 2 (got 1): R-hat needs two"),
            (["mcmc", "--thin", "1000000000000"], "--thin must be in 1...1000000"),
            (["mcmc", "--warmup", "9223372036854775807"], "--warmup must be in 0...100000000"),
            (["mcmc", "--draws", "10000000", "--thin", "1000000"], "more than 10^12"),
            (["mcmc", "--sampler", "hmc"], "unknown sampler 'hmc'"),
            (["mcmc", "--step-size=-1"], "--step-size must be in 1e-12...1000.0"),
            (["mcmc", "--potential", "nope"], "unknown potential 'nope'"),
            (["mcmc", "--output", "x.txt"], "--output must name a .npy file"),
            (["mcmc", "--potential", "gaussian-ill", "--sampler", "ula", "--no-adapt", "--step-size", "100", "--draws", "50"], "non-finite state at step"),
            (["mcmc", "--potential", "gaussian-ill", "--sampler", "ula", "--step-size", "100", "--draws", "50"], "the chains diverged"),
            (["mcmc", "--step-scale", "0"], "--step-scale must be in 0.001...1000"),
            (["mcmc", "--chains", "100000", "--draws", "10000000"], "the kept draws and their diagnostics would need about 1600000.0 GB"),
            (["mcmc", "--metric", "full"], "'full' is invalid for '--metric"),
        ]
        for (args, needle) in cases {
            let message = failure(args)
            #expect(message?.contains(needle) == true, "\(args): \(message ?? "no error")")
        }
    }

    /// Runs whose memory estimate is compared with their measured peak, each large enough that the
    /// process's own ~30 MB do not matter, with the estimate the commands' checks make for it.
    static let memoryConfigurations: [(arguments: [String], estimate: @Sendable () throws -> Double)] = [
        // sample: the larger of the sampler's working matrices (rm-ms: 8 steps at 10 NFE) and the metrics phase.
        (["sample", "--target", "mixture64", "--particles", "200000", "--nfe", "10", "--sampler", "rm-ms"], {
            max(DiffusionRun.estimatedBytes(try SamplerRegistry.sampler(named: "rm-ms"), steps: 8, particles: 200_000, dimension: 64),
                MetricSuite.estimatedBytes(particles: 200_000, dimension: 64))
        }),
        // compare: the suite's reference samples live through the run; each evaluation follows its run.
        (["compare", "--target", "mixture64", "--particles", "100000", "--samplers", "rm-ms", "--nfe", "10"], {
            max(MetricSuite.heldBytes(particles: 100_000, dimension: 64)
                    + DiffusionRun.estimatedBytes(try SamplerRegistry.sampler(named: "rm-ms"), steps: 8, particles: 100_000, dimension: 64),
                MetricSuite.estimatedBytes(particles: 100_000, dimension: 64))
        }),
        // mcmc: the kept draws and gradients, then the Stein check's centered copy.
        (["mcmc", "--potential", "gaussian100", "--chains", "2", "--draws", "60000"], {
            var options = MCMCOptions(chains: 2, draws: 60_000, warmup: 1000, seed: 0)
            options.recordGradients = true
            return options.keptBytes(dimension: 100) + SteinCheck.estimatedBytes(count: 120_000, dimension: 100)
        }),
    ]

    /// The memory estimate the checks use is within 25% of the measured peak resident set, for a sampling
    /// run, a comparison and an MCMC run.
    @Test(arguments: 0..<3) func memoryEstimateMatchesThePeak(configuration: Int) throws {
        let (arguments, estimateOf) = Self.memoryConfigurations[configuration]
        let (status, measured) = try MidpointExecutable.peakResidentBytes(arguments)
        #expect(status == 0)
        let estimate = try estimateOf()
        #expect(abs(estimate / measured - 1) <= 0.25, "\(arguments[0]): estimate \(estimate / 1e6) MB, measured peak \(measured / 1e6) MB")
    }

    /// Under `ulimit -v` the memory check uses that limit and names it: 3,000,000 particles of mixture64 need
    /// about 12 GB, within this machine's memory but not within an 8 GB address space.
    @Test func addressSpaceLimitIsTheBudget() throws {
        let (status, message) = try MidpointExecutable.run(after: "ulimit -v 8000000",
                                                           ["sample", "--target", "mixture64", "--particles", "3000000", "--steps", "20", "--sampler", "rm"])
        #expect(status == 64)
        // The limit binds unless this machine's own budget (a cgroup, say) is already smaller.
        let here = MemoryBudget.current()
        let expected = here.bytes < 8_192_000_000 ? "(80% of the \(here.source)" : "may use 6.6 GB (80% of the ulimit -v, 8.2 GB)"
        #expect(message.contains(expected), "\(message)")
    }

    /// `midpoint targets` prints one row per built-in: its name, its dimension and its summary. The
    /// dimension column comes from a hard-coded switch (`BuiltinTarget.dimension`), so each row is
    /// checked against the dimension of the target the name actually builds. The command runs as a
    /// subprocess (the test runner shares this process's stdout, so it cannot be captured in-process).
    @Test func targetsListsBuiltins() throws {
        #expect(BuiltinTarget.allCases.map(\.rawValue) == ["ring2d", "mixture64", "product1024", "gauss256"])
        let url = try #require(MidpointExecutable.url(), "no midpoint executable near \(String(describing: Bundle.main.executableURL))")
        let process = Process()
        process.executableURL = url
        process.arguments = ["targets"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = output.split(separator: "\n").map(String.init)
        try #require(lines.count == BuiltinTarget.allCases.count + 1, "\(output)")
        #expect(lines[0].split(separator: " ") == ["name", "dimension", "description"])
        for (line, t) in zip(lines.dropFirst(), BuiltinTarget.allCases) {
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            #expect(fields.count == 3 && fields[0] == t.rawValue, "\(line)")
            #expect(fields.count == 3 && Int(fields[1]) == t.make().dimension, "\(line): \(t.rawValue) builds \(t.make().dimension)-D")
            #expect(line.hasSuffix(t.summary), "\(line)")
        }
    }


    /// `evaluate --images fashion-mnist --against REF.npy`: real test images measured against other real
    /// test images sit at the floor; against themselves their FD to the reference is 0; the reference's floor
    /// comes from two disjoint halves when it holds 2N images. Needs Debian's dataset-fashion-mnist
    /// (scripts/install-test-data, run by `make test`).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: FashionMNIST.directory + "/t10k-images-idx3-ubyte.gz")))
    func evaluateImagesAgainstOtherSamples() throws {
        let test = try FashionMNIST.load(.test)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (samples, reference) = (dir.appendingPathComponent("s.npy").path, dir.appendingPathComponent("r.npy").path)
        try NPY.write(NPYArray(shape: [200, 784], values: test.rows(0..<200).images.storage), to: samples)
        try NPY.write(NPYArray(shape: [400, 784], values: test.rows(200..<600).images.storage), to: reference)
        // The numbers of the row "FD to reference samples  VALUE  FLOOR" (the floor prints as nan without 2N images).
        func fdRow(_ out: String) -> [Double] {
            guard let line = out.split(separator: "\n").first(where: { $0.hasPrefix("FD to reference samples") }) else { return [] }
            return line.split(separator: " ").compactMap { Double($0) }
        }
        let (status, out, err) = try MidpointExecutable.run(["evaluate", samples, "--images", "fashion-mnist", "--against", reference])
        #expect(status == 0, "\(err)")
        let row = fdRow(out)
        try #require(row.count == 2, "\(out)")
        // Two sets of real images: the FD is of the size of its floor (both are finite-N biases of a zero FD).
        #expect(row[0] > 0 && row[1] > 0 && row[0] < 3 * row[1] && row[1] < 3 * row[0], "\(out)")
        let (same, sameOut, _) = try MidpointExecutable.run(["evaluate", samples, "--images", "fashion-mnist", "--against", samples])
        #expect(same == 0 && sameOut.contains("no floor (it needs at least 400 reference images)"), "\(sameOut)")
        #expect(fdRow(sameOut).first.map { abs($0) < 1e-6 } == true, "\(sameOut)")
        let (refused, _, message) = try MidpointExecutable.run(["evaluate", samples, "--target", "ring2d", "--against", reference])
        #expect(refused == 64 && message.contains("--against measures images against other samples: it needs --images"), "\(message)")
    }

    /// A user's regression from one JSON and one CSV (the README's example): named parameters on the data's
    /// scale, within 0.1 sd of the independent NUTS reference, and CmdStan CSVs that carry the same names.
    @Test func regressionModelFileRunsWithNamedParameters() throws {
        let root = SamplerSeamTests.root
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("draws.csv").path
        let (status, out, err) = try MidpointExecutable.run([
            "mcmc", "--potential", root.appendingPathComponent("examples/regression/diabetes.json").path, "--draws", "5000",
            "--reference", root.appendingPathComponent("docs/regressions/diabetes/reference.csv").path, "--draws-csv", csv])
        #expect(status == 0, "\(err)")
        for name in ["Intercept", "b[bmi]", "b[s5]", "sigma"] { #expect(out.contains("\n\(name) "), "\(name) missing in \(out)") }
        #expect(out.contains("started at the mode"))
        // "vs reference: max |mean - ref| / ref sd = A (...), max |sd / ref sd - 1| = B (...)"
        let line = try #require(out.split(separator: "\n").first { $0.hasPrefix("vs reference:") })
        let numbers = line.split(separator: "=").dropFirst().compactMap { Double($0.split(separator: " ").first ?? "") }
        #expect(numbers.count == 2 && numbers[0] < 0.1 && numbers[1] < 0.1, "\(line)")
        for chain in 1...4 {
            let text = try String(contentsOfFile: dir.appendingPathComponent("draws_\(chain).csv").path, encoding: .utf8)
            let lines = text.split(separator: "\n")
            #expect(lines.first == "# model = \(root.appendingPathComponent("examples/regression/diabetes.json").path)")
            #expect(lines.contains("Intercept,b[age],b[sex],b[bmi],b[bp],b[s1],b[s2],b[s3],b[s4],b[s5],b[s6],sigma"))
            #expect(lines.filter { !$0.hasPrefix("#") }.count == 5001)
        }
    }

    /// `mcmc` reports what warm-up chose, the Stein check and (for a Gaussian) the exact error; the Stein
    /// check equals the exact error there, and a step far above the tuned one draws the bias warning. A
    /// diverged run is an error without the usage text.
    @Test func mcmcReportsWarmupAndTheSteinCheck() throws {
        let (status, out, _) = try MidpointExecutable.run(["mcmc", "--potential", "gaussian100", "--draws", "2000", "--max-rows", "0"])
        #expect(status == 0)
        #expect(out.contains("warm-up: started at the mode (") && out.contains(", h = ") && out.contains("dense preconditioner"), "\(out)")
        // "Stein check: max |mean error| = A sd (...)" and "vs exact moments: max |mean - ref| / ref sd = A (...)" agree.
        func number(after marker: String) -> Double? {
            guard let range = out.range(of: marker) else { return nil }
            return Double(out[range.upperBound...].prefix { !$0.isWhitespace })
        }
        let stein = try #require(number(after: "max |mean error| = "))
        let exact = try #require(number(after: "max |mean - ref| / ref sd = "))
        #expect(abs(stein - exact) <= 0.0015, "Stein \(stein), exact \(exact)")  // both printed to 3 decimals
        let biased = try MidpointExecutable.run(["mcmc", "--potential", "gaussian100", "--sampler", "ula", "--step-scale", "3",
                                             "--draws", "2000", "--max-rows", "0"])
        #expect(biased.0 == 0 && biased.2.contains("discretization bias"), "\(biased.2)")
        let diverged = try MidpointExecutable.run(["mcmc", "--potential", "gaussian-ill", "--sampler", "ula", "--no-adapt",
                                               "--step-size", "100", "--draws", "50"])
        #expect(diverged.0 != 0 && diverged.2.contains("non-finite state at step") && !diverged.2.contains("USAGE"), "\(diverged.2)")
    }

    /// A target whose spread is 10¹² times smaller than its mean: the denoising step's posterior means
    /// differ by less than an ulp, so the samples collapse onto a few values — a silent wrong answer that
    /// `sample` must name.
    @Test func collapsedSamplesAreReported() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("far-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"kind": "gaussian", "mean": [1e6, 1e6], "covariance": {"isotropic": 1e-12}}"#.utf8).write(to: file)
        let (status, out, _) = try MidpointExecutable.run(["sample", "--target", file.path, "--particles", "500"])
        #expect(status == 0 && out.contains("exact copies of another: the particles collapsed"), "\(out)")
        let normal = try MidpointExecutable.run(["sample", "--target", "ring2d", "--particles", "500"])
        #expect(normal.0 == 0 && !normal.1.contains("collapsed"))
    }

    /// A full disk, simulated by a file-size limit (`ulimit -f`, which makes writes fail with EFBIG once
    /// SIGXFSZ is ignored): the write fails with a message, the existing output is unchanged byte for
    /// byte, and no temporary file is left. Interrupts (SIGINT, SIGTERM) at several moments of a run that
    /// ends in a large write: the existing output is either unchanged or the complete new file, and no
    /// temporary file is left (the handler removes the in-flight one).
    @Test func fullDiskAndInterruptsNeverLoseWork() throws {
        let exe = try #require(MidpointExecutable.url())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/keep.npy"
        #expect(try MidpointExecutable.run(["sample", "--target", "ring2d", "--particles", "1000", "--output", out]).0 == 0)
        let original = try Data(contentsOf: URL(fileURLWithPath: out))
        func leftovers() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0 != "keep.npy" && $0 != "keep.npy.json" }
        }

        let (status, message) = try MidpointExecutable.run(after: "ulimit -f 16",
                                                           ["sample", "--target", "ring2d", "--particles", "4000", "--seed", "9", "--output", out])
        #expect(status == 1 && message.contains("File too large") && message.contains("unchanged"), "\(message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == original)
        #expect(try leftovers().isEmpty)

        // The test runner may start children with SIGINT/SIGTERM ignored; posix_spawn resets them to their
        // defaults so the signals really arrive. The delays cover sampling, metrics and the write itself.
        for (signal, delay) in [(SIGINT, 0.05), (SIGTERM, 3.0), (SIGINT, 7.0), (SIGTERM, 7.6)] {
            let pid = try Self.spawnWithDefaultSignals(exe.path, ["sample", "--target", "product1024", "--particles", "6000",
                                                                   "--steps", "10", "--output", out])
            Thread.sleep(forTimeInterval: delay)
            kill(pid, signal)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            // Killed by the signal (the handler re-raises it after its cleanup), or finished before it came.
            #expect(status & 0x7f == signal || status == 0, "status \(status) after signal \(signal) at \(delay) s")
            let now = try Data(contentsOf: URL(fileURLWithPath: out))
            // Unchanged, or the complete new file (6000 × 1024 doubles behind the .npy header).
            #expect(now == original || now.count > 6000 * 1024 * 8, "signal \(signal) at \(delay) s left \(now.count) bytes")
            let left = try leftovers()
            #expect(left.isEmpty, "signal \(signal) at \(delay) s left \(left)")
        }
    }

    /// Starts `path` with `arguments`, stdout and stderr to /dev/null, with SIGINT and SIGTERM at their
    /// default dispositions and no signal blocked (the test runner's threads block some, and a child
    /// inherits its parent's mask).
    static func spawnWithDefaultSignals(_ path: String, _ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        try #require(status == 0, "posix_spawn failed: \(status)")
        return pid
    }

    /// `--shard auto` reads the scheduler's variables; explicit shards tile the run.
    @Test func shardSpecsResolveFromTheScheduler() throws {
        #expect(try ShardSpec.parse("2/5") == .fixed(index: 2, count: 5))
        for bad in ["5/5", "-1/3", "1/0", "x", "1/2/3", ""] { #expect(throws: ValidationError.self) { try ShardSpec.parse(bad) } }
        let k8s = try ShardSpec.automatic.resolve(environment: ["JOB_COMPLETION_INDEX": "3", "MIDPOINT_SHARD_COUNT": "8"], count: nil)
        #expect(k8s == (3, 8))
        #expect(try ShardSpec.automatic.resolve(environment: ["JOB_COMPLETION_INDEX": "3"], count: 4) == (3, 4))
        #expect(throws: ValidationError.self) { try ShardSpec.automatic.resolve(environment: ["JOB_COMPLETION_INDEX": "3"], count: nil) }
        let slurm = try ShardSpec.automatic.resolve(environment: ["SLURM_ARRAY_TASK_ID": "12", "SLURM_ARRAY_TASK_COUNT": "4",
                                                                 "SLURM_ARRAY_TASK_MIN": "10"], count: nil)
        #expect(slurm == (2, 4))
        // An array with a step (--array=10-16:2): ids 10, 12, 14, 16 are shards 0…3.
        let stepped = try ShardSpec.automatic.resolve(environment: ["SLURM_ARRAY_TASK_ID": "14", "SLURM_ARRAY_TASK_COUNT": "4",
                                                                   "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_STEP": "2"], count: nil)
        #expect(stepped == (2, 4))
        // Ids whose distance from the first overflows are refused, not trapped on.
        #expect(throws: ValidationError.self) {
            try ShardSpec.automatic.resolve(environment: ["SLURM_ARRAY_TASK_ID": "\(Int.min)", "SLURM_ARRAY_TASK_COUNT": "4",
                                                          "SLURM_ARRAY_TASK_MIN": "1"], count: nil)
        }
        #expect(throws: ValidationError.self) { try ShardSpec.automatic.resolve(environment: [:], count: nil) }
        // Shards tile the particles exactly, in order.
        let ranges = (0..<7).map { ShardSpec.range(index: $0, count: 7, particles: 100) }
        #expect(ranges.first!.lowerBound == 0 && ranges.last!.upperBound == 100)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    }

    /// Four shard processes merged are byte-identical to the single run; a shard of another seed is refused;
    /// a shard without --output is refused before any work.
    @Test func shardedRunsMergeByteIdentically() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shard-cli-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let common = ["sample", "--target", "mixture64", "--particles", "400", "--nfe", "12", "--seed", "5"]
        #expect(failure(common + ["--output", "\(dir)/whole.npy"]) == nil)
        for i in 0..<4 { #expect(failure(common + ["--shard", "\(i)/4", "--output", "\(dir)/s\(i).npy"]) == nil) }
        #expect(failure(["merge", "\(dir)/s3.npy", "\(dir)/s1.npy", "\(dir)/s0.npy", "\(dir)/s2.npy", "--output", "\(dir)/merged.npy"]) == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/merged.npy")) == Data(contentsOf: URL(fileURLWithPath: "\(dir)/whole.npy")))
        var other = common
        other[other.count - 1] = "6"
        #expect(failure(other + ["--shard", "1/4", "--output", "\(dir)/t1.npy"]) == nil)
        let refused = failure(["merge", "\(dir)/s0.npy", "\(dir)/t1.npy", "\(dir)/s2.npy", "\(dir)/s3.npy", "--output", "\(dir)/bad.npy"])
        #expect(refused?.contains("comes from a different run: seed is 6, the first shard's is 5") == true, "\(refused ?? "accepted")")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/bad.npy"))
        #expect(failure(common + ["--shard", "0/2"])?.contains("--shard needs --output") == true)
        #expect(failure(common + ["--sampler", "paradigms", "--shard", "0/2", "--output", "\(dir)/p.npy"])?.contains("decides over the whole batch") == true)
    }
}
