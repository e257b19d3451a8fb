import Foundation
import MidpointFormats
import Testing

/// Merging shards: order-independent, byte-identical concatenation; refusals for mixed runs, gaps,
/// overlaps, missing provenance and samples that disagree with it.
@Suite struct ShardMergeTests {
    let dir: String

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("shards-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    /// Writes rows `first ..< first + count` of a 10 × 2 run (value = 10·row + column) as a shard.
    func shard(_ name: String, first: Int, count: Int, seed: String = "1", rows: Int? = nil) throws -> String {
        let path = "\(dir)/\(name).npy"
        let values: [Double] = (first..<(first + (rows ?? count))).flatMap { (r: Int) -> [Double] in [Double(10 * r), Double(10 * r + 1)] }
        try NPY.write(NPYArray(shape: [rows ?? count, 2], values: values), to: path)
        try ShardProvenance(run: ["seed": seed, "sampler": "rm-ms"], particles: 10, firstParticle: first, count: count, dimension: 2)
            .write(for: path)
        return path
    }

    @Test func mergesInParticleOrder() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = [try shard("c", first: 7, count: 3), try shard("a", first: 0, count: 4), try shard("b", first: 4, count: 3)]
        let (samples, provenance) = try ShardMerge.merge(files)
        let expected: [Double] = (0..<10).flatMap { (r: Int) -> [Double] in [Double(10 * r), Double(10 * r + 1)] }
        #expect(samples.shape == [10, 2])
        #expect(samples.values == expected)
        #expect(provenance.firstParticle == 0 && provenance.count == 10 && provenance.run["seed"] == "1")
    }

    @Test func refusesWhatIsNotOneRun() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try shard("a", first: 0, count: 5), b = try shard("b", first: 5, count: 5)
        let otherSeed = try shard("s", first: 5, count: 5, seed: "2")
        #expect(throws: ShardError.mismatch(file: otherSeed, field: "seed", expected: "1", found: "2")) { try ShardMerge.merge([a, otherSeed]) }
        #expect(throws: ShardError.coverage("particles 5..<10 of the run are in no shard")) { try ShardMerge.merge([a]) }
        let overlap = try shard("o", first: 3, count: 7)
        #expect(throws: ShardError.coverage("'\(overlap)' holds particles from 3, which an earlier shard already holds up to 5")) {
            try ShardMerge.merge([a, overlap])
        }
        let short = try shard("short", first: 5, count: 5, rows: 4)
        #expect(throws: ShardError.badSamples(file: short, reason: "shape [4, 2], its provenance says [5, 2]")) { try ShardMerge.merge([a, short]) }
        // A samples file replaced after its provenance was written is refused by its checksum.
        try NPY.write(NPYArray(shape: [5, 2], values: [Double](repeating: 0, count: 10)), to: b)
        #expect(throws: ShardError.badSamples(file: b, reason: "its bytes do not match the checksum in its provenance (the file was replaced after it was written)")) {
            try ShardMerge.merge([a, b])
        }
        // Deleting the checksum from a provenance file does not turn the check off.
        let edited = try shard("e", first: 5, count: 5)
        let json = try String(contentsOfFile: edited + ".json", encoding: .utf8)
        try json.split(separator: "\n").filter { !$0.contains("\"checksum\"") }.joined(separator: "\n")
            .replacingOccurrences(of: ",\n}", with: "\n}").write(toFile: edited + ".json", atomically: true, encoding: .utf8)
        #expect(throws: ShardError.badSamples(file: edited, reason: "its provenance has no checksum (every shard `midpoint sample --output` writes has one): the file was edited")) {
            try ShardMerge.merge([a, edited])
        }
        try FileManager.default.removeItem(atPath: b + ".json")
        #expect(throws: ShardError.self) { try ShardMerge.merge([a, b]) }
        #expect(throws: ShardError.noShards) { try ShardMerge.merge([]) }
    }
}
