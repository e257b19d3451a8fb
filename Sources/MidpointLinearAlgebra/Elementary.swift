/// Elementary functions written so that loops calling them vectorize (no library calls, no branches).
///
/// `Foundation.exp` is a call into libm, which blocks vectorization and costs ~10–30 ns; score kernels
/// evaluate one exponential per coordinate, so they use ``exp(_:)`` instead.
public enum Elementary {
    @usableFromInline static let log2e = 1.4426950408889634
    @usableFromInline static let ln2Hi = 0.6931471803691238
    @usableFromInline static let ln2Lo = 1.9082149292705877e-10
    /// `1.5 · 2⁵²`: adding it rounds to an integer held in the low mantissa bits.
    @usableFromInline static let roundingMagic = 6_755_399_441_055_744.0

    /// `eˣ` with relative error below 5e-16 for `x ∈ [-708, 709]`; the argument is clamped to that
    /// range, so the result is always finite and positive (`e^{-708} ≈ 3e-308` stands in for 0).
    ///
    /// Method: `x = k ln 2 + r` with `k = rint(x log₂e)` (Cody–Waite split of ln 2, so `r` is exact to
    /// a few ulps and `|r| ≤ ½ ln 2`), `eʳ` by its degree-12 Taylor polynomial (truncation
    /// `|r|¹³/13! < 2e-16`), and `2ᵏ` built from its exponent bits. The rounding uses the
    /// `1.5 · 2⁵²` trick rather than `rounded()`, and `k` is read from the sum's bits rather than
    /// converted: on baseline x86-64 (SSE2) both alternatives are library calls or scalar code.
    @inlinable
    public static func exp(_ x: Double) -> Double {
        let y = min(max(x, -708), 709)
        let shifted = y * log2e + roundingMagic
        let k = shifted - roundingMagic
        let r = (y - k * ln2Hi) - k * ln2Lo
        var p = 1.0 / 479_001_600
        p = p * r + 1.0 / 39_916_800
        p = p * r + 1.0 / 3_628_800
        p = p * r + 1.0 / 362_880
        p = p * r + 1.0 / 40_320
        p = p * r + 1.0 / 5_040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let kBits = shifted.bitPattern &- roundingMagic.bitPattern
        let scale = Double(bitPattern: (kBits &+ 1023) << 52)
        return p * scale
    }
}
