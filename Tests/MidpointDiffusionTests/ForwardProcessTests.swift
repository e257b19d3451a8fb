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
        #expect(abs(clock.tau(1) - 0.5 * (0.1 + 0.5 * 19.9)) < 1e-15)
        #expect(abs(clock.tau(1) - 5.025) < 1e-12)
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
    @Test(arguments: TimeGrid.Kind.allCases)
    func gridsAreStrictlyDecreasingWithExactEndpoints(kind: TimeGrid.Kind) throws {
        let g = try TimeGrid(kind, steps: 37, horizon: 8, earlyStop: 1e-3)
        #expect(g.times.count == 38 && g.steps == 37)
        #expect(g.horizon == 8 && g.earlyStop == 1e-3)
        for n in 0..<g.steps { #expect(g.stepSize(n) > 0) }
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
