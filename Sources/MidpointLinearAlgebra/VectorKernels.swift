import Foundation

/// Small SIMD kernels over contiguous rows, shared by the score models.
///
/// Reductions use four `SIMD4` lanes-worth of partial sums in a fixed order, so a result depends only
/// on the inputs and the length — never on where the row sits in a batch.
public enum VectorKernels {
    @inlinable
    static func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }

    @inlinable
    static func store(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
    }

    /// `Σⱼ (xⱼ - mⱼ)² wⱼ`: a diagonal quadratic form.
    @inlinable
    public static func weightedSquaredDistance(
        _ x: UnsafePointer<Double>, center m: UnsafePointer<Double>, weights w: UnsafePointer<Double>, count d: Int
    ) -> Double {
        // Two independent accumulators: the adds of one do not wait for the other's.
        var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
        var j = 0
        while j + 8 <= d {
            let diff0 = load(x + j) - load(m + j)
            let diff1 = load(x + j + 4) - load(m + j + 4)
            acc0 += diff0 * diff0 * load(w + j)
            acc1 += diff1 * diff1 * load(w + j + 4)
            j += 8
        }
        if j + 4 <= d {
            let diff = load(x + j) - load(m + j)
            acc0 += diff * diff * load(w + j)
            j += 4
        }
        var q = (acc0 + acc1).sum()
        while j < d {
            let diff = x[j] - m[j]
            q += diff * diff * w[j]
            j += 1
        }
        return q
    }

    /// `yⱼ += c (xⱼ - mⱼ) wⱼ` for every `j`.
    @inlinable
    public static func accumulateScaledDifference(
        _ y: UnsafeMutablePointer<Double>, coefficient c: Double, x: UnsafePointer<Double>,
        center m: UnsafePointer<Double>, weights w: UnsafePointer<Double>, count d: Int
    ) {
        var j = 0
        while j + 4 <= d {
            store(load(y + j) + c * (load(x + j) - load(m + j)) * load(w + j), y + j)
            j += 4
        }
        while j < d {
            y[j] += c * (x[j] - m[j]) * w[j]
            j += 1
        }
    }

    /// Writes `wⱼ = 1/(s vⱼ + t)` and returns `Σⱼ log(s vⱼ + t)`, with one logarithm per four lanes ×
    /// four steps (products renormalized by their binary exponents, so nothing over- or underflows
    /// while every factor lies in [1e-50, 1e50]).
    @inlinable
    public static func reciprocalsAndLogSum(
        _ v: UnsafePointer<Double>, scale s: Double, shift t: Double, into w: UnsafeMutablePointer<Double>, count d: Int
    ) -> Double {
        // Renormalizing by bit operations (exponent field out, significand back to [1, 2)) keeps the
        // loop in SIMD registers; every product is a positive normal number here.
        let exponentMask: UInt64 = 0x7FF0_0000_0000_0000
        let one: UInt64 = 0x3FF0_0000_0000_0000
        var product = SIMD4<Double>(repeating: 1)
        var exponents = SIMD4<UInt64>()
        var j = 0
        var pending = 0
        while j + 4 <= d {
            let c = s * load(v + j) + t
            store(1 / c, w + j)
            product *= c
            pending += 1
            if pending == 4 {
                let bits = unsafeBitCast(product, to: SIMD4<UInt64>.self)
                exponents &+= (bits & exponentMask) &>> 52
                product = unsafeBitCast((bits & ~exponentMask) | one, to: SIMD4<Double>.self)
                pending = 0
            }
            j += 4
        }
        // Each renormalization added a biased exponent (1023 + e) per lane; one per lane per 4 steps.
        var exponent = Int(exponents.wrappedSum()) - 1023 * 4 * ((d / 4) / 4)
        var scalar = 1.0
        while j < d {
            let c = s * v[j] + t
            w[j] = 1 / c
            scalar *= c
            j += 1
        }
        // At most 4 pending factors per lane and 3 tail factors: renormalize the lanes, then one log.
        for l in 0..<4 {
            exponent += Int(product[l].exponent)
            scalar *= product[l].significand
        }
        return Double(exponent) * 0.6931471805599453 + log(scalar)
    }
}
