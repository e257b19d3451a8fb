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

    @Option(name: .long, parsing: .unconditional, help: "Seed of the reference and floor samples.")
    var seed: UInt64 = 0

    @Option(name: .long, parsing: .unconditional, help: "Worker threads (default: all cores); results do not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard target != nil || model != nil else { throw ValidationError("give --target or --model to measure against") }
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be in 1...1024 (got \(threads))") }
    }

    func run() throws {
        let array: NPYArray
        do { array = try NPY.read(contentsOf: samples) } catch { throw ValidationError("cannot read '\(samples)': \(error)") }
        guard array.shape.count == 2, array.shape[0] >= 2, array.shape[1] >= 1 else {
            throw ValidationError("'\(samples)' has shape \(array.shape); evaluate needs N × d samples with N ≥ 2")
        }
        let (n, d) = (array.shape[0], array.shape[1])
        let subject = try SamplingSubject.resolve(target: target, model: model, particles: n)
        guard subject.dimension == d else {
            throw ValidationError("'\(samples)' has dimension \(d), \(subject.name) has \(subject.dimension)")
        }
        BLAS.setThreadCount(1)
        guard let suite = subject.metrics(particles: n, seed: seed, threads: threads) else {
            throw ValidationError("\(subject.name) has nothing to be measured against: no held-out data and no built-in target")
        }
        var table = Table(columns: ["metric", "value", "noise floor"])
        for m in suite.evaluate(Matrix(rows: n, columns: d, storage: array.values)) {
            table.append([.text(m.name), .number(m.value), .number(m.floor)])
        }
        print("\(n) samples from \(samples) against \(subject.name)")
        print(table.formatted(), terminator: "")
    }
}
