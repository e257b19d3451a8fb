import Foundation

/// Sums `log cⱼ` over many positive factors with one logarithm instead of one per factor.
///
/// The running product is renormalized to its significand every four factors and the binary
/// exponents are summed separately, so it cannot overflow or underflow while each factor lies in
/// `[1e-50, 1e50]` (what target validation guarantees for `α² v + σ²`). Per-row determinants are
/// needed because every row can have its own `τ`; one `log` per factor would dominate the score's cost.
@usableFromInline
struct LogDeterminantAccumulator {
    @usableFromInline var product = 1.0
    @usableFromInline var exponent = 0
    @usableFromInline var pending = 0

    @inlinable init() {}

    /// Multiplies in one factor.
    @inlinable mutating func add(_ c: Double) {
        product *= c
        pending += 1
        if pending == 4 {
            exponent += Int(product.exponent)
            product = product.significand
            pending = 0
        }
    }

    /// `Σ log cⱼ`.
    @inlinable var value: Double { log(product) + Double(exponent) * M_LN2 }
}
