import CMidpointKernels

/// One particle's stream of random numbers for one purpose at one step.
///
/// Philox4x32-10 is keyed by the 64-bit seed; the 128-bit counter is
/// `(block, slot, step, particle)`, one 32-bit word each. A sampler names each draw by the step it
/// belongs to and a slot (which of the step's draws it is), so a particle's path is a function of
/// `(seed, particle)` only — the same whatever the batch, the chunking, the thread count or the
/// machine.
///
/// Each Philox block `(x, y, z, w)` yields two doubles: the uniforms
/// `u₁ = (⌊x/2⁵⌋·2²⁶ + ⌊y/2⁶⌋ + ½)·2⁻⁵³` and `u₂` from `(z, w)` alike (53 bits, never 0 or 1), or two
/// standard normals by the Box–Muller transform `√(-2 log u₁) (cos 2πu₂, sin 2πu₂)`. The bulk
/// fills run in vectorized C (`CMidpointKernels`) with their own polynomial `log`, `sin` and `cos`, so
/// the values do not depend on the platform's math library.
public struct RandomStream: Sendable {
    /// The run's seed (the Philox key).
    public let seed: UInt64
    /// Particle index (counter word 3).
    public let particle: UInt32
    /// Step index (counter word 2).
    public let step: UInt32
    /// Which of the step's draws this is (counter word 1).
    public let slot: UInt32

    /// The stream for `particle` at `step`, draw `slot`, under `seed`.
    @inlinable
    public init(seed: UInt64, particle: Int, step: Int, slot: Int) {
        precondition(particle >= 0 && particle <= Int(UInt32.max), "particle index \(particle) out of range")
        precondition(step >= 0 && step <= Int(UInt32.max), "step index \(step) out of range")
        precondition(slot >= 0 && slot <= Int(UInt32.max), "slot \(slot) out of range")
        self.seed = seed
        self.particle = UInt32(particle)
        self.step = UInt32(step)
        self.slot = UInt32(slot)
    }

    @usableFromInline var keyLow: UInt32 { UInt32(truncatingIfNeeded: seed) }
    @usableFromInline var keyHigh: UInt32 { UInt32(truncatingIfNeeded: seed >> 32) }

    /// Writes `count` uniforms on (0, 1) to `out`.
    @inlinable
    public func fillUniform(_ out: UnsafeMutablePointer<Double>, count: Int) {
        mpk_fill_uniform(keyLow, keyHigh, slot, step, particle, out, count)
    }

    /// Writes `count` independent standard normals to `out` (Box–Muller, both outputs used).
    @inlinable
    public func fillNormal(_ out: UnsafeMutablePointer<Double>, count: Int) {
        mpk_fill_normal(keyLow, keyHigh, slot, step, particle, out, count)
    }

    /// The first uniform of the stream (the same value ``fillUniform(_:count:)`` writes first).
    @inlinable
    public var uniform: Double {
        let r = Philox4x32.block(counter: SIMD4(0, slot, step, particle), key: SIMD2(keyLow, keyHigh))
        return (Double(Int32(r.x >> 5)) * 67_108_864 + Double(Int32(r.y >> 6)) + 0.5) * 0x1p-53
    }
}
