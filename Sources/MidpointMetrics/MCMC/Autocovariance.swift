#if canImport(CFFTW)
import CFFTW
#endif
import Foundation

/// Lag sums `Σₜ xₜ xₜ₊ₖ` of a series for every lag `k = 0 … n-1`, as the ESS needs them.
///
/// Through FFTW (Linux) they cost `O(n log n)`: the series is zero-padded to a power of two at least `2n`
/// (so the circular correlation is the linear one), transformed, squared in modulus and transformed back
/// (Wiener–Khinchin). Lag by lag they cost `O(n²)` for a chain that mixes slowly, which made the summary of
/// 8,000 draws take a minute; the direct sums remain for short series and where FFTW is absent.
public enum Autocovariance {
    /// FFTW's planner is not thread-safe; plans are made and destroyed under this lock (execution is).
    static let plannerLock = NSLock()

    /// The lag sums of `x`, by FFT when it has at least 64 points and FFTW is available.
    public static func lagSums(_ x: [Double]) -> [Double] {
        #if canImport(CFFTW)
        if x.count >= 64 { return fourierLagSums(x) }
        #endif
        return directLagSums(x)
    }

    /// The lag sums by their definition.
    public static func directLagSums(_ x: [Double]) -> [Double] {
        let n = x.count
        return (0..<n).map { lag in
            var s = 0.0
            for t in 0..<(n - lag) { s += x[t] * x[t + lag] }
            return s
        }
    }

    #if canImport(CFFTW)
    /// The lag sums through FFTW's real transforms.
    static func fourierLagSums(_ x: [Double]) -> [Double] {
        let n = x.count
        var m = 1
        while m < 2 * n { m <<= 1 }
        let signal = fftw_alloc_real(m)!
        let spectrum = fftw_alloc_complex(m / 2 + 1)!
        defer { fftw_free(signal); fftw_free(spectrum) }
        let estimate: UInt32 = 1 << 6  // FFTW_ESTIMATE: plan without timing runs (leaves the arrays alone)
        plannerLock.lock()
        let forward = fftw_plan_dft_r2c_1d(Int32(m), signal, spectrum, estimate)
        let backward = fftw_plan_dft_c2r_1d(Int32(m), spectrum, signal, estimate)
        plannerLock.unlock()
        defer {
            plannerLock.lock()
            fftw_destroy_plan(forward)
            fftw_destroy_plan(backward)
            plannerLock.unlock()
        }
        for i in 0..<n { signal[i] = x[i] }
        for i in n..<m { signal[i] = 0 }
        fftw_execute(forward)
        for k in 0...(m / 2) {
            let (re, im) = spectrum[k]
            spectrum[k] = (re * re + im * im, 0)
        }
        fftw_execute(backward)  // unnormalized: m times the circular autocorrelation
        return (0..<n).map { signal[$0] / Double(m) }
    }
    #endif
}
