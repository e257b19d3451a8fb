/// The Philox4x32-10 counter-based generator (Salmon, Moraes, Dror & Shaw 2011, "Parallel random
/// numbers: as easy as 1, 2, 3"; the Random123 library).
///
/// A pure function from a 128-bit counter and a 64-bit key to 128 random bits: ten rounds of a
/// Feistel-like network of 32×32→64-bit multiplies, with a Weyl-sequence bump of the key between
/// rounds. No state is carried, so any block can be computed independently — which is what makes
/// every particle's noise independent of batch size, chunking and thread count.
public enum Philox4x32 {
    @usableFromInline static let m0: UInt32 = 0xD251_1F53
    @usableFromInline static let m1: UInt32 = 0xCD9E_8D57
    @usableFromInline static let w0: UInt32 = 0x9E37_79B9
    @usableFromInline static let w1: UInt32 = 0xBB67_AE85

    /// The 128-bit output block for `counter` under `key` (ten rounds).
    @inlinable
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        var c = counter
        var k = key
        for round in 0..<10 {
            if round > 0 {
                k.x &+= w0
                k.y &+= w1
            }
            let p0 = UInt64(m0) &* UInt64(c.x)
            let p1 = UInt64(m1) &* UInt64(c.z)
            c = SIMD4(
                UInt32(truncatingIfNeeded: p1 >> 32) ^ c.y ^ k.x,
                UInt32(truncatingIfNeeded: p1),
                UInt32(truncatingIfNeeded: p0 >> 32) ^ c.w ^ k.y,
                UInt32(truncatingIfNeeded: p0)
            )
        }
        return c
    }
}
