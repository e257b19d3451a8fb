import Foundation
import MidpointLinearAlgebra
import MidpointRandom
import Testing

@Suite struct PhiloxTests {
    /// Known-answer vectors for Philox4x32-10 from Random123's `kat_vectors` file
    /// (counter words, key words, expected output words).
    @Test(arguments: [
        ([0, 0, 0, 0], [0, 0], [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8]),
        ([0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff], [0xffff_ffff, 0xffff_ffff],
         [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd]),
        ([0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344], [0xa409_3822, 0x299f_31d0],
         [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1]),
    ] as [([UInt32], [UInt32], [UInt32])])
    func knownAnswers(counter: [UInt32], key: [UInt32], expected: [UInt32]) {
        let out = Philox4x32.block(counter: SIMD4(counter[0], counter[1], counter[2], counter[3]),
                                   key: SIMD2(key[0], key[1]))
        #expect([out.x, out.y, out.z, out.w] == expected)
    }

    @Test func streamsDependOnlyOnSeedAndParticle() {
        let n = 257, d = 13
        var whole = Matrix(rows: n, columns: d)
        NoiseSource(seed: 42).fillNormal(&whole, step: 3, slot: 1)
        for threads in [1, 2] {
            for chunk in [1, 7, 64, 1000] {
                var m = Matrix(rows: n, columns: d)
                NoiseSource(seed: 42, chunks: RowChunks(chunkSize: chunk, threads: threads)).fillNormal(&m, step: 3, slot: 1)
                #expect(m == whole, "threads \(threads), chunk \(chunk)")
            }
        }
        // Drawing the particles in two batches gives the same rows as one batch.
        var head = Matrix(rows: 100, columns: d), tail = Matrix(rows: n - 100, columns: d)
        NoiseSource(seed: 42).fillNormal(&head, step: 3, slot: 1)
        NoiseSource(seed: 42).fillNormal(&tail, step: 3, slot: 1, firstParticle: 100)
        #expect(head.storage + tail.storage == whole.storage)
        // Different steps, slots and seeds give different numbers.
        var other = Matrix(rows: n, columns: d)
        NoiseSource(seed: 42).fillNormal(&other, step: 3, slot: 2)
        #expect(other != whole)
        NoiseSource(seed: 43).fillNormal(&other, step: 3, slot: 1)
        #expect(other != whole)
    }

    /// The vectorized fills are the documented transforms of the Philox blocks: uniforms bit for bit,
    /// normals equal to Box–Muller with the platform's libm to within a few ulps (the kernels use their
    /// own polynomial log, sin and cos; 1e-14 relative plus 1e-15 absolute covers their error near
    /// the zeros of sin and cos).
    ///
    /// Away from those zeros (`|sin θ|` or `|cos θ|` ≥ ½, the relative error has no amplification) the
    /// worst relative difference is bounded in units of `ε = 2⁻⁵²`: the radius `√(-2 log u₁)` carries
    /// ≤ 1ε from libm's log and the square root, ≤ 2.5ε from the kernel's (a polynomial log within
    /// 4 ulps, halved by the root); the sine/cosine ≤ 1ε (libm) and ≤ 4ε (kernel); the angle 2πu₂
    /// ≤ 2π·ε from its two roundings in each, which the cotangent (≤ √3 here) turns into ≤ 10.9ε of
    /// the value each; and the final products ½ε each: 1 + 2.5 + 1 + 4 + 2·10.9 + 1 ≈ 31.3ε, so 32ε.
    /// (Measured: 5.8ε.)
    @Test func fillsAreTheDocumentedTransformsOfPhilox() {
        let stream = RandomStream(seed: 0x0123_4567_89AB_CDEF, particle: 12, step: 3, slot: 5)
        let count = 4001
        var u = [Double](repeating: 0, count: count), z = u
        u.withUnsafeMutableBufferPointer { stream.fillUniform($0.baseAddress!, count: count) }
        z.withUnsafeMutableBufferPointer { stream.fillNormal($0.baseAddress!, count: count) }
        #expect(stream.uniform == u[0])
        func uniform(_ hi: UInt32, _ lo: UInt32) -> Double {
            (Double(hi >> 5) * 67_108_864 + Double(lo >> 6) + 0.5) * 0x1p-53
        }
        var worst = 0.0
        for b in 0..<((count + 1) / 2) {
            let r = Philox4x32.block(counter: SIMD4(UInt32(b), 5, 3, 12), key: SIMD2(0x89AB_CDEF, 0x0123_4567))
            let (u1, u2) = (uniform(r.x, r.y), uniform(r.z, r.w))
            #expect(u[2 * b] == u1)
            if 2 * b + 1 < count { #expect(u[2 * b + 1] == u2) }
            let radius = (-2 * log(u1)).squareRoot()
            let pair = [radius * cos(2 * Double.pi * u2), radius * sin(2 * Double.pi * u2)]
            for k in 0..<2 where 2 * b + k < count {
                let err = abs(z[2 * b + k] - pair[k])
                if abs(pair[k]) >= radius / 2 { worst = max(worst, err / (abs(pair[k]) * Double.ulpOfOne)) }
                #expect(err <= 1e-14 * abs(pair[k]) + 1e-15, "normal \(2 * b + k): \(z[2 * b + k]) vs \(pair[k])")
            }
        }
        #expect(worst <= 32, "worst relative error away from the zeros of sin and cos: \(worst) ε")
    }

    /// Kolmogorov–Smirnov statistic of `values` against the CDF `cdf`.
    func ksStatistic(_ values: [Double], cdf: (Double) -> Double) -> Double {
        let sorted = values.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            d = max(d, f - Double(i) / n, Double(i + 1) / n - f)
        }
        return d
    }

    /// Under the null hypothesis √n·D converges to the Kolmogorov distribution, whose 0.999 quantile is
    /// 1.9495; with n = 200,000 the finite-n correction is below 1e-3 of that. The threshold
    /// 1.9495/√n therefore fails a correct generator with probability 0.1% (and the seed is fixed, so
    /// the test is deterministic).
    @Test func normalsPassKolmogorovSmirnov() {
        let n = 200_000
        var m = Matrix(rows: 1000, columns: n / 1000)
        NoiseSource(seed: 2024).fillNormal(&m, step: 0, slot: 0)
        let d = ksStatistic(m.storage) { 0.5 * erfc(-$0 / 2.0.squareRoot()) }
        #expect(d < 1.9495 / Double(n).squareRoot(), "KS statistic \(d)")
    }

    @Test func uniformsPassKolmogorovSmirnovAndStayInside() {
        let n = 200_000
        var m = Matrix(rows: 1000, columns: n / 1000)
        NoiseSource(seed: 7).fillUniform(&m, step: 1, slot: 0)
        #expect(m.storage.allSatisfy { $0 > 0 && $0 < 1 })
        let d = ksStatistic(m.storage) { $0 }
        #expect(d < 1.9495 / Double(n).squareRoot(), "KS statistic \(d)")
    }
}
