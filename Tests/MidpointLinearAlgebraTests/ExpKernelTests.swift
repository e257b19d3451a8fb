import Foundation
import MidpointLinearAlgebra
import Testing

@Suite struct ExpKernelTests {
    /// Against libm's exp over the whole clamped range, densely near 0 and at the ends: the bound
    /// (5e-16 relative, about 2 ulps) comes from the degree-12 Taylor truncation (< 2e-16) plus
    /// rounding in the Horner steps and the Cody–Waite reduction.
    @Test func expMatchesLibm() {
        var worst = 0.0
        var xs = (0..<200_001).map { -708 + 1417 * Double($0) / 200_000 }
        xs += (0..<10_001).map { -1 + 2 * Double($0) / 10_000 }
        xs += [0, -0.0, 1e-300, -1e-300, 0.5 * log(2), -0.5 * log(2), 708.9, -707.9]
        for x in xs {
            let e = Foundation.exp(x)
            worst = max(worst, abs(VectorKernels.exp(x) - e) / e)
        }
        #expect(worst < 5e-16, "worst relative error \(worst)")
        // The in-place array kernel (vector body and scalar tail) gives the same values.
        var array = Array(xs.prefix(1003))
        array.withUnsafeMutableBufferPointer { VectorKernels.expInPlace($0.baseAddress!, count: $0.count) }
        #expect(array == xs.prefix(1003).map { VectorKernels.exp($0) })
    }

    @Test func expClampsInsteadOfOverflowing() {
        #expect(VectorKernels.exp(1e6) == VectorKernels.exp(709))
        #expect(VectorKernels.exp(-1e6) == VectorKernels.exp(-708))
        #expect(VectorKernels.exp(-1e6) > 0 && VectorKernels.exp(1e6).isFinite)
        #expect(VectorKernels.exp(0) == 1)
    }
}
