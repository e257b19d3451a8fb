import Foundation
import MidpointDiffusion
import MidpointScoreModels
import Testing

@Suite struct ForwardProcessTests {
    @Test(arguments: [1e-10, 1e-6, 1e-3, 0.1, 1, 5, 30])
    func inversesRoundTrip(tau: Double) {
        let tolerance = 1e-12 * max(tau, 1)
        #expect(abs(ForwardProcess.tau(logSNR: ForwardProcess.logSNR(tau)) - tau) <= 1e-10 * tau + 1e-15)
        #expect(abs(ForwardProcess.tau(alpha: ForwardProcess.alpha(tau)) - tau) <= tolerance + 1e-16)
        #expect(abs(ForwardProcess.tau(noiseToSignal: ForwardProcess.noiseToSignal(tau)) - tau) <= 1e-12 * tau)
        if tau < 10 {
            #expect(abs(ForwardProcess.tau(sigma: ForwardProcess.sigma(tau)) - tau) <= 1e-8 * tau)
        }
        let a = ForwardProcess.alpha(tau), s2 = ForwardProcess.sigmaSquared(tau)
        #expect(abs(a * a + s2 - 1) < 1e-15)
        #expect(abs(ForwardProcess.logSNR(tau) - log(a / s2.squareRoot())) < 1e-12 * max(1, abs(log(a / s2.squareRoot()))))
    }

    @Test func smallTimesKeepRelativePrecision() {
        // σ² = 1 - e^{-2τ} ≈ 2τ - 2τ²: a naive 1 - exp(-2τ) loses all digits at τ = 1e-12.
        let tau = 1e-12
        #expect(abs(ForwardProcess.sigmaSquared(tau) / (2 * tau - 2 * tau * tau) - 1) < 1e-12)
    }

    @Test func ddpmLinearClock() {
        let clock = DDPMLinearClock()
        // τ(1) = ½(β_min + ½(β_max - β_min)) = ½(0.1 + 9.95) = 5.025: three roundings plus the decimal
        // literals' representation errors, each at most half an ulp of the result, so 4 ulps bound it.
        #expect(abs(clock.tau(1) - 5.025) <= 4 * 5.025.ulp)
        for u in [0, 1e-8, 0.01, 0.5, 1.0] {
            #expect(abs(clock.u(tau: clock.tau(u)) - u) <= 1e-13 * max(u, 1e-8))
        }
    }

    @Test func parameterizationsRoundTrip() {
        let (tau, x, s) = (0.37, 1.3, -0.8)
        let eps = Parameterization.noise(fromScore: s, tau: tau)
        #expect(abs(Parameterization.score(fromNoise: eps, tau: tau) - s) < 1e-15)
        let x0 = Parameterization.data(fromScore: s, x: x, tau: tau)
        #expect(abs(Parameterization.score(fromData: x0, x: x, tau: tau) - s) < 1e-14)
        // x = α x̂₀ + σ ε̂ ties the three together.
        #expect(abs(ForwardProcess.alpha(tau) * x0 + ForwardProcess.sigma(tau) * eps - x) < 1e-14)
    }
}

@Suite struct TimeGridTests {
    /// Each kind against its definition in closed form, on a 37-step grid from `T = 8` to `δ = 1e-3`
    /// (both endpoints exact). With `i/N` the fraction of the way:
    /// - `uniform-tau`: `τᵢ = T - (T - δ) i/N`;
    /// - `uniform-lambda`: `λ(τᵢ) = λ(T) + (λ(δ) - λ(T)) i/N`, `λ = log(α/σ)`;
    /// - `ddpm-linear`: `τᵢ = τ(uᵢ)`, `τ(u) = ½(β_min u + ½(β_max - β_min) u²)`, with `uᵢ` evenly spaced
    ///   between the positive roots `u(T)`, `u(δ)` of that quadratic (solved here by the textbook formula);
    /// - `edm`: `ς(T) ≈ 2981` is above the cap 80, so `τ₀ = T` and `τᵢ = ½ log(1 + ςᵢ²)` for `i ≥ 1` with
    ///   `ςᵢ^{1/7}` evenly spaced from `80^{1/7}` (at `i = 0`) to `ς(δ)^{1/7}`; extrapolating levels 1
    ///   and 2 back to `i = 0` must give the cap.
    ///
    /// Tolerances are rounding bounds in units of `ε = 2⁻⁵²` (derivations beside each check). Both the
    /// grid and the expectation interpolate `a + (b - a)·i/N`, in different orders; each carries up to
    /// 2ε·max(|a|, |b|) absolute error (three roundings and i/N's), so they may differ by 4ε·max(|a|, |b|)
    /// — relative to a small interpolated value that is an amplification of max(|a|, |b|)/|value|.
    @Test(arguments: TimeGrid.Kind.allCases)
    func gridsFollowTheirClosedForms(kind: TimeGrid.Kind) throws {
        let (n, horizon, delta) = (37, 8.0, 1e-3)
        let eps = Double.ulpOfOne
        let g = try TimeGrid(kind, steps: n, horizon: horizon, earlyStop: delta)
        #expect(g.times.count == n + 1 && g.steps == n)
        #expect(g.horizon == horizon && g.earlyStop == delta)
        for i in 0..<g.steps { #expect(g.stepSize(i) > 0) }
        let fraction = { (i: Int) in Double(i) / Double(n) }
        switch kind {
        case .uniformTau:
            // Only the interpolation's rounding: ≤ 4ε·T.
            for i in 1..<n {
                let expected = horizon - (horizon - delta) * fraction(i)
                #expect(abs(g.times[i] - expected) <= 4 * eps * horizon, "τ[\(i)]")
            }
        case .uniformLogSNR:
            // Compared in λ: the interpolations differ by ≤ 4ε·max|λ|; rounding τᵢ (a few ulps in τ(λ))
            // moves λ by |dλ/dτ| τ ε = τ/σ² · ε per ulp; evaluating λ costs a few ulps of |λ| and of the
            // terms τ and ½|log σ²| it cancels (≤ |λ| + 2τ + 1 here): 8ε per term covers them.
            let lambda = { (t: Double) in -t - 0.5 * log(-expm1(-2 * t)) }
            let (l0, l1) = (lambda(horizon), lambda(delta))
            for i in 1..<n {
                let expected = l0 + (l1 - l0) * fraction(i), t = g.times[i]
                let tolerance = 4 * eps * max(abs(l0), abs(l1)) + 8 * eps * (abs(expected) + 2 * t + 1 + t / -expm1(-2 * t))
                #expect(abs(lambda(t) - expected) <= tolerance, "λ(τ[\(i)])")
            }
        case .ddpmLinear:
            // u(τ) by the quadratic formula (it cancels by (√D + ½β₀)/(√D - ½β₀) ≤ 2 here, √D ≥ 0.15 vs
            // ½β₀ = 0.05: ≤ 4ε), the interpolations' 4ε·u₀/uᵢ, then τ(u), whose condition number u τ'/τ
            // is at most 2, and its own few roundings: 2·(4 + 4u₀/uᵢ)ε + 4ε.
            let (b0, db) = (0.1, 20 - 0.1)
            let u = { (t: Double) in (-0.5 * b0 + (0.25 * b0 * b0 + db * t).squareRoot()) / (0.5 * db) }
            let (u0, u1) = (u(horizon), u(delta))
            for i in 1..<n {
                let ui = u0 + (u1 - u0) * fraction(i)
                let expected = 0.5 * (b0 * ui + 0.5 * db * ui * ui)
                let tolerance = (2 * (4 + 4 * u0 / ui) + 4) * eps * expected
                #expect(abs(g.times[i] - expected) <= tolerance, "τ[\(i)]")
            }
        case .edm:
            let rootOfCap = pow(80.0, 1.0 / 7), rootOfDelta = pow(expm1(2 * delta).squareRoot(), 1.0 / 7)
            let rootOf = { (t: Double) in pow(expm1(2 * t).squareRoot(), 1.0 / 7) }
            #expect(rootOf(horizon) > rootOfCap && rootOf(g.times[1]) < rootOfCap)
            // The interpolations of rᵢ differ by ≤ 4ε·a/rᵢ relative (a = 80^{1/7}, rᵢ ≥ ς(δ)^{1/7} > a/3);
            // τ = ½ log1p(r¹⁴) has condition number 7 r¹⁴/((1 + r¹⁴) τ) ≤ 7 in r; pow, log1p and the
            // implementation's own round trip through ς add a few ε: 7·4ε·a/rᵢ + 8ε relative.
            for i in 1..<n {
                let r = rootOfCap + (rootOfDelta - rootOfCap) * fraction(i)
                let expected = 0.5 * log1p(pow(r, 14))
                #expect(abs(g.times[i] - expected) <= (28 * rootOfCap / r + 8) * eps * expected, "τ[\(i)]")
            }
            // The cap: level 0 of the EDM grid, 2r₁ - r₂, is 80^{1/7}. Each rᵢ read back from τᵢ carries
            // ≤ 8ε relative (≤ 4ε from the interpolation, then the round trip r → τ → r, whose condition
            // number τ e^{2τ}/(7(e^{2τ} - 1)) is below 1 for τ < 4.4, and its few roundings); the
            // extrapolation triples it and ς = r⁷ multiplies it by 7: ≤ 7·3·8ε of 80.
            let level0 = 2 * rootOf(g.times[1]) - rootOf(g.times[2])
            #expect(abs(pow(level0, 7) - 80) <= 7 * 3 * 8 * eps * 80, "extrapolated cap \(pow(level0, 7))")
        }
    }

    @Test func uniformGridsAreUniformInTheirVariable() throws {
        let lambda = try TimeGrid(.uniformLogSNR, steps: 10, horizon: 5, earlyStop: 0.01).times.map(ForwardProcess.logSNR)
        let gaps = zip(lambda.dropFirst(), lambda).map { $0 - $1 }
        #expect(gaps.allSatisfy { abs($0 - gaps[0]) < 1e-10 })
        let tau = try TimeGrid(.uniformTau, steps: 4, horizon: 2, earlyStop: 0.4).times
        #expect(zip(tau, [2, 1.6, 1.2, 0.8, 0.4]).allSatisfy { abs($0 - $1) < 1e-15 })
        let edm = try TimeGrid(.edm, steps: 5, horizon: 3, earlyStop: 0.01).times
            .map { pow(ForwardProcess.noiseToSignal($0), 1.0 / 7) }
        let edmGaps = zip(edm.dropFirst(), edm).map { $0 - $1 }
        #expect(edmGaps.allSatisfy { abs($0 - edmGaps[0]) < 1e-10 })
    }

    @Test func explicitGridsAreValidatedByEntry() {
        #expect(throws: TimeGridError.notDecreasing(index: 2, value: 2, previous: 1)) { try TimeGrid(times: [3, 1, 2]) }
        #expect(throws: TimeGridError.notDecreasing(index: 1, value: 3, previous: 3)) { try TimeGrid(times: [3, 3]) }
        #expect(throws: TimeGridError.outOfRange(index: 2, value: 0, horizon: 3)) { try TimeGrid(times: [3, 1, 0]) }
        #expect(throws: TimeGridError.outOfRange(index: 0, value: 9, horizon: 8)) { try TimeGrid(times: [9, 1], horizon: 8) }
        #expect(throws: TimeGridError.nonFinite(index: 1, value: .infinity)) { try TimeGrid(times: [3, .infinity]) }
        #expect(throws: TimeGridError.tooShort(count: 1)) { try TimeGrid(times: [3]) }
        #expect(throws: TimeGridError.self) { try TimeGrid(.edm, steps: 0, horizon: 8, earlyStop: 1e-3) }
        #expect(throws: TimeGridError.self) { try TimeGrid(.edm, steps: 5, horizon: 8, earlyStop: 9) }
        #expect(TimeGridError.notDecreasing(index: 2, value: 2, previous: 1).description.contains("entry 2"))
    }
}
