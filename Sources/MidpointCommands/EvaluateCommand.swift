import ArgumentParser
import Foundation
import Midpoint

/// `midpoint evaluate`: the error metrics of any samples file against a target or a model's held-out data.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure the samples in a .npy file (N × d) against a target or a shipped model's held-out data.",
        discussion: """
            The same metrics and noise floors as `sample` prints: for an exact target every metric that \
            applies, beside the same metric for as many exact samples; for a shipped model its held-out \
            data (energy distance and MMD). Use it on the output of `midpoint merge`, or on samples drawn \
            by any other tool.
            """
    )

    @Argument(help: "The samples (.npy, N × d, float64 or float32).")
    var samples: String

    @Option(name: .long, help: "A built-in target name or a JSON target file.")
    var target: String?

    @Option(name: .long, help: "A shipped model (\(ShippedModel.names.joined(separator: ", "))) whose held-out data to measure against.")
    var model: String?

    @Option(name: .long, help: "Measure images instead: fashion-mnist (N × 784 pixels in [-1, 1]) by FD, precision and recall in the shipped classifier's features against the 10,000 test images, and class accuracy when the provenance file names the run's --class; floors from as many held-out training images.")
    var images: ImageDataset?

    @Option(name: .long, help: "With --images: also the FD to these samples (.npy, the same model's many-step samples, e.g. 250 steps, drawn with another --seed: shared starting noise would make them look alike), which separates the sampler's error from the model's; floor from two disjoint halves when they hold at least 2N images.")
    var against: String?

    @Option(name: .long, parsing: .unconditional, help: "Seed of the reference and floor samples (default: the run's seed from the samples' provenance file, FILE.npy.json, else 0).")
    var seed: UInt64?

    @Option(name: .long, parsing: .unconditional, help: "Worker threads (default: all cores); results do not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    /// What validate() read, for run(): the samples, the subject and the seed.
    private var array: NPYArray?
    private var subject: SamplingSubject?
    private var runSeed: UInt64 = 0
    private var tau = 0.0
    private var imageRun: ImageEvaluation?

    enum CodingKeys: String, CodingKey {
        case samples, target, model, images, against, seed, threads
    }

    mutating func validate() throws {
        if images != nil {
            guard target == nil, model == nil else { throw ValidationError("give --images or --target/--model, not both") }
            imageRun = try ImageEvaluation.resolve(samples: samples, against: against)
            return
        }
        guard against == nil else { throw ValidationError("--against measures images against other samples: it needs --images") }
        guard target != nil || model != nil else { throw ValidationError("give --target or --model to measure against") }
        try RunOptions.require(threads, in: DiffusionRunOptions.threadsRange, flag: "--threads")
        // The shape first: a file too large to measure is refused before it is read.
        var subject: SamplingSubject?
        let array = try SamplesFile.resolve(samples) { shape, bytes in
            guard shape.count == 2, shape[0] >= 2, shape[1] >= 1 else {
                throw ValidationError("'\(samples)' has shape \(shape); evaluate needs N × d samples with N ≥ 2")
            }
            let (rows, columns) = (shape[0], shape[1])
            let resolved = try SamplingSubject.resolve(target: target, model: model, particles: rows)
            guard resolved.dimension == columns else {
                throw ValidationError("'\(samples)' has dimension \(columns), \(resolved.name) has \(resolved.dimension)")
            }
            // Reading holds the file and its values; measuring, the values and the metrics' buffers.
            let needed = max(Double(bytes) + 8 * Double(rows) * Double(columns), resolved.metricBytes(particles: rows))
            let budget = MemoryBudget.current()
            if needed > budget.usable {
                throw ValidationError("measuring \(rows) samples of dimension \(columns) would need about \(MemoryBudget.describe(needed)) and the run may use \(budget.usableDescription): measure fewer rows")
            }
            subject = resolved
        }
        guard let subject else { throw ValidationError("'\(samples)' could not be checked") }
        // The run's own seed and final time, when its provenance file is beside the samples: the floor and
        // reference draws are then the ones `sample` printed, and samples left at δ are measured at δ.
        let provenance = try? ShardProvenance.read(for: samples)
        runSeed = seed ?? provenance?.run["seed"].flatMap { UInt64($0) } ?? 0
        if provenance?.run["denoise"] == "false", let delta = provenance?.run["early_stop"].flatMap(Double.init) { tau = delta }
        if subject.exact == nil, subject.data.map({ $0.heldOut.rows < 4 }) ?? true {
            throw ValidationError("\(subject.name) has nothing to be measured against: no held-out data and no built-in target")
        }
        self.array = array
        self.subject = subject
    }

    func run() throws {
        if let imageRun {
            try imageRun.run(threads: threads)
            return
        }
        guard let array, let subject else { throw CommandFailure("evaluate ran without validation") }
        let (n, d) = (array.shape[0], array.shape[1])
        guard let suite = subject.metrics(particles: n, seed: runSeed, threads: threads, tau: tau) else {
            throw CommandFailure("\(subject.name) has nothing to be measured against: no held-out data and no built-in target")
        }
        var table = Table(columns: ["metric", "value", "noise floor"])
        for m in suite.evaluate(Matrix(rows: n, columns: d, storage: array.values)) {
            table.append(m.cells)
        }
        print("\(n) samples from \(samples) against \(subject.name)\(tau > 0 ? " at τ = \(tau)" : ""), seed \(runSeed)")
        print(table.formatted(), terminator: "")
        for note in subject.subsampleNotes(particles: n) { print(note) }
    }
}
