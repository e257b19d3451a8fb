import Foundation
import Midpoint
import MidpointCommands
import MidpointTestSupport
import Testing

/// The sampler-settings seam: samplers own their tuning keys, the CLI refuses a flag a sampler does not
/// read, `midpoint samplers` is the README's table, and the refactor that built the seam changed no
/// sampler's output by a single bit.
@Suite struct SamplerSeamTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A valid command-line value for every tuning key (a new key must be added here, which the first
    /// expectation enforces).
    static let diffusionValues: [String: [String]] = [
        "interpolant": ["log"], "prediction": ["data"], "corrections": ["3"], "corrector-ratio": ["0.5"], "corrector-steps": ["2"],
        "corrector-time": ["0.4"], "corrector-friction": ["1.5"], "corrector-integrator": ["rm"], "picard-window": ["4"],
        "picard-span": ["2"], "picard-rounds": ["3"], "picard-tolerance": ["0.001"], "plain-picard": [],
        "parallel-corrector": [], "paradigms-base": ["ddpm"],
    ]
    static let mcmcValues: [String: [String]] = [
        "step-size": ["0.05"], "friction": ["1"], "corrector-window": ["5"], "corrector-steps": ["2"],
        "corrector-step-size": ["0.02"], "strata": ["3"], "rounds": ["2"],
    ]

    /// The error message a parse (with validation) gives, nil when the flags are accepted.
    func refusal(_ args: [String]) -> String? {
        do {
            _ = try MidpointCommand.parseAsRoot(args)
            return nil
        } catch {
            return MidpointCommand.message(for: error)
        }
    }

    /// Every sampler × tuning flag pair: refused before any work, naming the samplers that read it, when
    /// the sampler does not read it; accepted when it does.
    @Test func everyUnreadTuningFlagIsRefused() {
        #expect(Set(Self.diffusionValues.keys) == Set(SamplerRegistry.settingKeys))
        for sampler in SamplerRegistry.all {
            for key in SamplerRegistry.settingKeys {
                var args = ["sample", "--sampler", sampler.name, "--particles", "4", "--\(key)"] + Self.diffusionValues[key, default: []]
                // rm-parallel's corrector keys are read with --parallel-corrector.
                if sampler.name == "rm-parallel", key.hasPrefix("corrector-") { args.append("--parallel-corrector") }
                let message = refusal(args)
                if sampler.settingKeys.contains(key) {
                    #expect(message == nil, "\(args): \(message ?? "")")
                } else {
                    let readers = SamplerRegistry.readers(of: key).joined(separator: ", ")
                    #expect(message?.contains("--\(key) is not read by \(sampler.name); the samplers that read it: \(readers)") == true,
                            "\(args): \(message ?? "accepted")")
                }
            }
        }
        #expect(Set(Self.mcmcValues.keys) == Set(MCMCSamplerRegistry.settingKeys))
        // Every key an MCMC sampler reads is a field of the typed parameters, filled by key.
        #expect(Set(MCMCSamplerRegistry.settingKeys) == Set(MCMCSamplerRegistry.Parameters.keys))
        let tuned = try? MCMCSamplerRegistry.Parameters().applying(["strata": .integer(3), "step-size": .number(0.05)])
        #expect(tuned?.strata == 3 && tuned?.stepSize == 0.05 && tuned?.rounds == MCMCSamplerRegistry.Parameters().rounds)
        #expect(throws: TuningRecordError.badValue(key: "strata", value: "x")) {
            try MCMCSamplerRegistry.Parameters().applying(["strata": .text("x")])
        }
        for entry in MCMCSamplerRegistry.entries {
            for key in MCMCSamplerRegistry.settingKeys {
                let args = ["mcmc", "--sampler", entry.name, "--potential", "gaussian100", "--\(key)"] + Self.mcmcValues[key, default: []]
                let message = refusal(args)
                if entry.settingKeys.contains(key) {
                    #expect(message == nil, "\(args): \(message ?? "")")
                } else {
                    #expect(message?.contains("--\(key) is not read by \(entry.name); the samplers that read it: \(MCMCSamplerRegistry.readers(of: key).joined(separator: ", "))") == true,
                            "\(args): \(message ?? "accepted")")
                }
            }
        }
    }

    /// The README's sampler tables are `midpoint samplers --markdown`, byte for byte.
    @Test func samplersCommandIsTheReadmeTable() throws {
        let (status, output, _) = try MidpointExecutable.run(["samplers", "--markdown"])
        #expect(status == 0)
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(!output.isEmpty && readme.contains(output), "README.md must contain `midpoint samplers --markdown`:\n\(output)")
        // The text table lists every sampler with its keys.
        let (_, text, _) = try MidpointExecutable.run(["samplers"])
        for s in SamplerRegistry.all { #expect(text.contains(s.name) && s.settingKeys.allSatisfy { text.contains($0) }) }
    }

    /// A sampler's provenance is its own encoding: every key it reads, and nothing for keys it does not.
    @Test func provenanceComesFromTheSampler() throws {
        let pc = try SamplerRegistry.sampler(named: "rm-pc").tuned(["corrections": .integer(3), "corrector-integrator": .text("rm")])
        #expect(pc.provenance["corrections"] == "3" && pc.provenance["corrector-integrator"] == "rm")
        #expect(Set(pc.provenance.keys) == Set(pc.settingKeys + ["sampler"]))
        let parallel = try SamplerRegistry.sampler(named: "rm-parallel")
        #expect(parallel.provenance["picard-window"] == "auto" && parallel.provenance["plain-picard"] == "false")
        #expect(throws: SamplingError.self) { try parallel.tuned(["picard-tolerance": .text("x")]) }
        // Settings round-trip: no overrides change nothing, and the corrector can be turned on and off again.
        for sampler in SamplerRegistry.all { #expect(try sampler.tuned([:]).provenance == sampler.provenance, "\(sampler.name)") }
        let on = try parallel.tuned(["parallel-corrector": .flag(true), "corrector-steps": .integer(3)])
        #expect(on.provenance["corrector-steps"] == "3")
        #expect(try on.tuned(["parallel-corrector": .flag(false)]).provenance == parallel.provenance)
        // rm-ms's data form reads no interpolant, so its provenance names none.
        let data = try SamplerRegistry.sampler(named: "rm-ms").tuned(["prediction": .text("data")])
        #expect(data.provenance["prediction"] == "data" && data.provenance["interpolant"] == nil)
        #expect(parallel.provenance["corrector-steps"] == nil)
        // compare gives rm-pc the corrector flag and keeps it from rm-parallel, which reads it only with the corrector.
        #expect(parallel.readOverrides(["corrector-steps": .integer(2)]).isEmpty)
        #expect(on.readOverrides(["corrector-steps": .integer(2)]).count == 1)
    }

    /// FNV-1a 64 of the little-endian bytes, as scripts/record_bit_identical.sh computes it.
    static func fnv1a(_ values: [Double]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for v in values {
            var bits = v.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { for b in $0 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 } }
        }
        return String(h, radix: 16).leftPadded(to: 16)
    }

    /// Every sampler, diffusion and MCMC, with and without tuning, draws exactly the bits it drew before
    /// the settings and workspace refactor (Fixtures/bit-identical.csv, recorded by
    /// scripts/record_bit_identical.sh from the earlier build). The three rm-ms rows were re-recorded when its
    /// first step began to read the draw as pure noise (docs/algorithms.md §5.3, "Its start") — a deliberate
    /// change of the algorithm, not of the refactor this test guards.
    ///
    /// The rows that multiply through BLAS (the ring2d network, every MCMC potential) depend on the kernel
    /// OpenBLAS picks for the CPU: recorded on one machine, they failed on another whose CPU drew other
    /// kernels. So every case runs in a child process pinned to one kernel (``PinnedBLAS``), the kernel
    /// the recording was made with; machines that cannot run it skip the test.
    @Test(.enabled(if: PinnedBLAS.isAvailable, "needs OpenBLAS's \(PinnedBLAS.core) kernels (x86-64 Linux, AVX2 and FMA)"))
    func everySamplerIsBitIdenticalToItsRecording() throws {
        let url = try #require(Bundle.module.url(forResource: "bit-identical", withExtension: "csv", subdirectory: "Fixtures"))
        let table = try Table.readCSV(contentsOf: url.path)
        #expect(table.rows.count >= 30)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bit-identical-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for row in table.rows {
            let args = row[0].description.split(separator: " ").map(String.init)
            let output = dir.appendingPathComponent("s.npy").path
            let (status, _, stderr) = try MidpointExecutable.run(args + ["--output", output], environment: PinnedBLAS.environment)
            #expect(status == 0, "\(args.joined(separator: " ")): \(stderr)")
            #expect(PinnedBLAS.took(stderr: stderr), "OpenBLAS did not report the \(PinnedBLAS.core) kernel: \(stderr.prefix(200))")
            let samples = try NPY.read(contentsOf: output)
            #expect(Self.fnv1a(samples.values) == row[1].description, "\(args.joined(separator: " "))")
        }
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// One error path: a usage error (`ValidationError`: usage line, exit 64) is thrown only by `validate()` or
/// by the parsing and checking helpers it calls; `run()` throws library errors or `CommandFailure`
/// (`Error: …` alone, exit 1). Checked on the source, function by function.
@Suite struct ErrorPathTests {
    /// The helpers that may throw a usage error: flag transforms (at parse time) and checks called from
    /// `validate()` (a `run()` calling one is reported below).
    static let parseAndCheckHelpers: Set<String> = [
        "validate", "parse", "require", "requirePositive", "check", "resolve", "resolveFiles", "card", "readReference", "readInitial", "startPoint",
        "pictureLayout", "checkBatch", "sampler", "samplers",
    ]

    @Test func usageErrorsOnlyBeforeAnyWork() throws {
        let dir = SamplerSeamTests.root.appendingPathComponent("Sources/MidpointCommands")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 20)
        let declaration = try Regex(#"func\s+(\w+)"#)
        var runBodies: [(file: String, lines: [String])] = []
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            var function = "", body: [String] = []
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                if let match = line.firstMatch(of: declaration), let name = match.output[1].substring {
                    if function == "run" { runBodies.append((file, body)) }
                    function = String(name)
                    body = []
                }
                body.append(line)
                if line.contains("ValidationError(") {
                    #expect(Self.parseAndCheckHelpers.contains(function), "\(file): ValidationError in \(function)()")
                }
            }
            if function == "run" { runBodies.append((file, body)) }
        }
        #expect(runBodies.count >= 10)
        for (file, body) in runBodies {
            for line in body where line.contains("ValidationError") || line.contains("SamplingSubject.resolve")
                || line.contains(".pictureLayout(") || line.contains("common.sampler(") {
                Issue.record("\(file): run() uses a usage check: \(line)")
            }
        }
    }
}
