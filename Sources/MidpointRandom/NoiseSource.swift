import MidpointLinearAlgebra

/// Batched draws for a run: row `r` of a batch is particle `particleOffset + firstParticle + r`, with its
/// own stream. A shard of a run sets `particleOffset` to its first particle, so its particles draw exactly
/// what they would in the whole run.
///
/// Filling is chunked over rows with ``RowChunks``; because every row reads only its own Philox
/// stream, the output is bit-identical for any chunk size or thread count.
public struct NoiseSource: Sendable {
    /// The run's seed.
    public let seed: UInt64
    /// How fills are split across threads.
    public let chunks: RowChunks

    /// The index of row 0's particle in the whole run (0 unless this is a shard of it).
    public let particleOffset: Int

    /// A source for `seed`, filling in `chunks`, whose row 0 is particle `particleOffset`.
    public init(seed: UInt64, chunks: RowChunks = RowChunks(), particleOffset: Int = 0) {
        precondition(particleOffset >= 0, "particle offsets are ≥ 0")
        self.seed = seed
        self.chunks = chunks
        self.particleOffset = particleOffset
    }

    /// Fills `matrix` with standard normals: row `r` from particle `firstParticle + r`'s stream at
    /// (`step`, `slot`).
    public func fillNormal(_ matrix: inout Matrix, step: Int, slot: Int, firstParticle: Int = 0) {
        matrix.withMutableView { fillNormal($0, step: step, slot: slot, firstParticle: firstParticle) }
    }

    /// Fills `matrix` with uniforms on (0, 1), row by row as in ``fillNormal(_:step:slot:firstParticle:)``.
    public func fillUniform(_ matrix: inout Matrix, step: Int, slot: Int, firstParticle: Int = 0) {
        matrix.withMutableView { fillUniform($0, step: step, slot: slot, firstParticle: firstParticle) }
    }

    /// Fills the rows of `view` with standard normals, as ``fillNormal(_:step:slot:firstParticle:)``
    /// fills a matrix (for workspace buffers, which are not ``Matrix`` values).
    public func fillNormal(_ view: MutableMatrixView, step: Int, slot: Int, firstParticle: Int = 0) {
        fill(view, step: step, slot: slot, firstParticle: firstParticle) { $0.fillNormal($1, count: $2) }
    }

    /// Fills the rows of `view` with uniforms on (0, 1), as ``fillUniform(_:step:slot:firstParticle:)``.
    public func fillUniform(_ view: MutableMatrixView, step: Int, slot: Int, firstParticle: Int = 0) {
        fill(view, step: step, slot: slot, firstParticle: firstParticle) { $0.fillUniform($1, count: $2) }
    }

    func fill(_ view: MutableMatrixView, step: Int, slot: Int, firstParticle: Int,
              _ draw: @escaping @Sendable (RandomStream, UnsafeMutablePointer<Double>, Int) -> Void) {
        let seed = self.seed
        let firstParticle = particleOffset + firstParticle
        chunks.forEach(rows: view.rows) { range in
            for r in range {
                draw(RandomStream(seed: seed, particle: firstParticle + r, step: step, slot: slot), view.row(r), view.columns)
            }
        }
    }

    /// One uniform on (0, 1) per particle (for example a random midpoint per particle and step).
    public func uniforms(particles: Int, step: Int, slot: Int, firstParticle: Int = 0) -> [Double] {
        (0..<particles).map {
            RandomStream(seed: seed, particle: particleOffset + firstParticle + $0, step: step, slot: slot).uniform
        }
    }

    /// Writes the values of ``uniforms(particles:step:slot:firstParticle:)`` to `out[0 ..< particles]`
    /// (a workspace's buffer: no array per call).
    public func uniforms(into out: UnsafeMutablePointer<Double>, particles: Int, step: Int, slot: Int, firstParticle: Int = 0) {
        for i in 0..<particles {
            out[i] = RandomStream(seed: seed, particle: particleOffset + firstParticle + i, step: step, slot: slot).uniform
        }
    }
}
