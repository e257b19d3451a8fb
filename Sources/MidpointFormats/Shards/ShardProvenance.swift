import Foundation

/// What produced a `.npy` of samples, written beside it as `FILE.npy.json`: the run's identifying
/// settings and which particles of the run the file holds. `midpoint merge` joins shards only when
/// their settings agree and their particle ranges tile the run exactly.
public struct ShardProvenance: Codable, Sendable, Equatable {
    /// The run's identifying settings (seed, sampler, subject, cost, grid, flags), as text.
    public var run: [String: String]
    /// Particles in the whole run.
    public var particles: Int
    /// The first particle this file holds.
    public var firstParticle: Int
    /// Particles this file holds (its rows).
    public var count: Int
    /// Coordinates per particle.
    public var dimension: Int
    /// CRC-32 of the samples file's bytes (hex), set by ``write(for:)``: a samples file replaced after its
    /// provenance was written (an interrupted rerun) no longer matches and is refused by `merge`.
    public var checksum: String?

    /// Provenance of rows `firstParticle ..< firstParticle + count` of a run of `particles`.
    public init(run: [String: String], particles: Int, firstParticle: Int, count: Int, dimension: Int, checksum: String? = nil) {
        self.run = run
        self.particles = particles
        self.firstParticle = firstParticle
        self.count = count
        self.dimension = dimension
        self.checksum = checksum
    }

    enum CodingKeys: String, CodingKey {
        case run, particles
        case firstParticle = "first_particle"
        case count, dimension, checksum
    }

    /// The sidecar path of a samples file.
    public static func path(for samples: String) -> String { samples + ".json" }

    /// CRC-32 (hex) of the file at `path`, nil if it cannot be read.
    public static func checksum(of path: String) -> String? {
        guard let data = try? InputFile.read(path) else { return nil }
        return String(format: "%08x", PNG.crc32(Array(data)))
    }

    /// Writes the provenance of `samples` (already written) beside it, atomically, with its checksum.
    public func write(for samples: String) throws(OutputFileError) {
        var value = self
        value.checksum = Self.checksum(of: samples)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = Self.path(for: samples)
        let data: Data
        do { data = try encoder.encode(value) } catch { throw .writeFailed(path: path, reason: "\(error)") }
        try AtomicFile.write(Array(data) + [10], to: path)
    }

    /// Reads the provenance beside `samples`, refusing a missing, malformed or inconsistent one.
    public static func read(for samples: String) throws(ShardError) -> ShardProvenance {
        let path = Self.path(for: samples)
        let data: Data
        do { data = try InputFile.read(path, limit: 1 << 20) } catch {
            throw .missingProvenance(file: samples, reason: error.description)
        }
        let value: ShardProvenance
        do { value = try JSONDecoder().decode(ShardProvenance.self, from: data) } catch {
            throw .malformedProvenance(file: path, reason: "\(error)")
        }
        guard value.particles >= 1, value.firstParticle >= 0, value.count >= 1, value.dimension >= 1,
              value.firstParticle + value.count <= value.particles else {
            throw .malformedProvenance(file: path, reason: "particles \(value.firstParticle)..<\(value.firstParticle + value.count) do not lie in a run of \(value.particles)")
        }
        return value
    }
}
