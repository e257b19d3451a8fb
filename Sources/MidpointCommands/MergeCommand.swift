import ArgumentParser
import Foundation
import Midpoint

/// `midpoint merge`: join the shards of a sharded `sample` run into the run's samples.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the .npy shards of a `sample --shard` run into one file, byte-identical to the unsharded run.",
        discussion: """
            Each shard's provenance (FILE.npy.json, written by `sample --output`) must name the same run — \
            every setting that changes the samples, the total particles and the dimension — and the \
            shards' particle ranges must tile the run exactly, with no gap and no overlap; shards may be \
            given in any order. The merged file gets its own provenance, so `midpoint evaluate` can measure it.
            """
    )

    @Argument(help: "The shard files (.npy, each with its .npy.json provenance).")
    var shards: [String] = []

    @Option(name: .long, help: "Write the merged samples to this .npy file.")
    var output: String

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give the shard files to merge") }
        try OutputPathOption.check(output, flag: "--output", suffix: ".npy")
        for shard in shards where shard == output {
            throw ValidationError("--output '\(output)' is one of the shards: write the merged file elsewhere")
        }
        // Each shard's provenance is read and checked before any samples are (the merge reads them again).
        var largest = 0.0, whole = 0.0
        for shard in shards {
            let provenance: ShardProvenance
            do { provenance = try ShardProvenance.read(for: shard) } catch { throw ValidationError(error.description) }
            largest = max(largest, 8 * Double(provenance.count) * Double(provenance.dimension))
            whole = 8 * Double(provenance.particles) * Double(provenance.dimension)
        }
        // The merged samples, and the shard being read (its file and its values).
        let needed = whole + 2 * largest
        let budget = MemoryBudget.current()
        if needed > budget.usable {
            throw ValidationError("merging these shards would need about \(MemoryBudget.describe(needed)) and the run may use \(budget.usableDescription): measure the shards one at a time with `midpoint evaluate`, or merge on a larger machine")
        }
    }

    func run() throws {
        let merged: (samples: NPYArray, provenance: ShardProvenance)
        do { merged = try ShardMerge.merge(shards) } catch { throw CommandFailure(error.description) }
        try NPY.write(merged.samples, to: output)
        try merged.provenance.write(for: output)
        print("merged \(shards.count) shards: \(merged.provenance.particles)×\(merged.provenance.dimension) samples to \(output)")
    }
}
