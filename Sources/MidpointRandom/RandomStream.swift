import Foundation

/// One particle's stream of random numbers for one purpose at one step.
///
/// Philox4x32-10 is keyed by the 64-bit seed; the 128-bit counter is
/// `(block, slot, step, particle)`, one 32-bit word each. A sampler names each draw by the step it
/// belongs to and a slot (which of the step's draws it is), so a particle's path is a function of
/// `(seed, particle)` only — the same whatever the batch, the chunking, the thread count or the
/// machine.
///
/// Each Philox block yields two doubles: two 53-bit uniforms, or two standard normals by the
/// Box–Muller transform of those uniforms.
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

    @inlinable
    func block(_ index: Int) -> SIMD4<UInt32> {
        Philox4x32.block(
            counter: SIMD4(UInt32(truncatingIfNeeded: index), slot, step, particle),
            key: SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
    }

    /// A uniform on the open interval (0, 1) from two 32-bit words: 53 random bits, offset by half
    /// an ulp so that neither 0 nor 1 can occur (Box–Muller takes a logarithm of it).
    @inlinable
    static func uniform(_ hi: UInt32, _ lo: UInt32) -> Double {
        let bits = (UInt64(hi) << 21) | (UInt64(lo) >> 11)
        return (Double(bits) + 0.5) * 0x1p-53
    }

    /// Writes `count` uniforms on (0, 1) to `out`.
    @inlinable
    public func fillUniform(_ out: UnsafeMutablePointer<Double>, count: Int) {
        var i = 0
        var b = 0
        while i < count {
            let r = block(b)
            out[i] = Self.uniform(r.x, r.y)
            if i + 1 < count { out[i + 1] = Self.uniform(r.z, r.w) }
            i += 2
            b += 1
        }
    }

    /// Writes `count` independent standard normals to `out` (Box–Muller, both outputs used).
    @inlinable
    public func fillNormal(_ out: UnsafeMutablePointer<Double>, count: Int) {
        var i = 0
        var b = 0
        while i < count {
            let r = block(b)
            let u1 = Self.uniform(r.x, r.y)
            let u2 = Self.uniform(r.z, r.w)
            let radius = (-2 * log(u1)).squareRoot()
            let angle = 2 * Double.pi * u2
            out[i] = radius * cos(angle)
            if i + 1 < count { out[i + 1] = radius * sin(angle) }
            i += 2
            b += 1
        }
    }

    /// The first uniform of the stream.
    @inlinable
    public var uniform: Double {
        let r = block(0)
        return Self.uniform(r.x, r.y)
    }
}
