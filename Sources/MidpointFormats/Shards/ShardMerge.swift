/// Joins the shards of a sampling run (``ShardProvenance``) into the run's samples: checked to come from
/// the same run (every identifying setting, the total particles, the dimension, float64 data), to tile
/// its particles exactly (no gap, no overlap), and each to hold the rows its provenance says. Shards may
/// be given in any order; rows come out in particle order, so the result is byte-identical to the
/// unsharded run.
public enum ShardMerge {
    /// The merged samples (`particles × d`) and their provenance (the whole run).
    public static func merge(_ files: [String]) throws(ShardError) -> (samples: NPYArray, provenance: ShardProvenance) {
        guard !files.isEmpty else { throw .noShards }
        var shards: [(file: String, provenance: ShardProvenance)] = []
        for file in files { shards.append((file, try ShardProvenance.read(for: file))) }
        let reference = shards[0].provenance
        for (file, p) in shards.dropFirst() {
            for key in Set(reference.run.keys).union(p.run.keys).sorted() where reference.run[key] != p.run[key] {
                throw .mismatch(file: file, field: key, expected: reference.run[key] ?? "absent", found: p.run[key] ?? "absent")
            }
            if p.particles != reference.particles {
                throw .mismatch(file: file, field: "particles", expected: "\(reference.particles)", found: "\(p.particles)")
            }
            if p.dimension != reference.dimension {
                throw .mismatch(file: file, field: "dimension", expected: "\(reference.dimension)", found: "\(p.dimension)")
            }
        }
        shards.sort { $0.provenance.firstParticle < $1.provenance.firstParticle }
        var next = 0
        for (file, p) in shards {
            if p.firstParticle > next {
                throw .coverage("particles \(next)..<\(p.firstParticle) of the run are in no shard (next shard: '\(file)')")
            }
            if p.firstParticle < next {
                throw .coverage("'\(file)' holds particles from \(p.firstParticle), which an earlier shard already holds up to \(next)")
            }
            next = p.firstParticle + p.count
        }
        if next != reference.particles {
            throw .coverage("particles \(next)..<\(reference.particles) of the run are in no shard")
        }
        var values: [Double] = []
        values.reserveCapacity(reference.particles * reference.dimension)
        for (file, p) in shards {
            // Every shard `sample` writes carries its checksum: a provenance file without one was edited.
            guard let expected = p.checksum else {
                throw .badSamples(file: file, reason: "its provenance has no checksum (every shard `midpoint sample --output` writes has one): the file was edited")
            }
            if ShardProvenance.checksum(of: file) != expected {
                throw .badSamples(file: file, reason: "its bytes do not match the checksum in its provenance (the file was replaced after it was written)")
            }
            let array: NPYArray
            do { array = try NPY.read(contentsOf: file) } catch { throw .badSamples(file: file, reason: error.description) }
            guard array.shape == [p.count, p.dimension] else {
                throw .badSamples(file: file, reason: "shape \(array.shape), its provenance says [\(p.count), \(p.dimension)]")
            }
            guard array.dtype == .float64 else {
                throw .badSamples(file: file, reason: "dtype \(array.dtype.rawValue), merged runs are float64")
            }
            values += array.values
        }
        let provenance = ShardProvenance(run: reference.run, particles: reference.particles, firstParticle: 0,
                                         count: reference.particles, dimension: reference.dimension, checksum: nil)
        do {
            return (try NPYArray(shape: [reference.particles, reference.dimension], values: values), provenance)
        } catch {
            throw .badSamples(file: files[0], reason: error.description)
        }
    }
}
