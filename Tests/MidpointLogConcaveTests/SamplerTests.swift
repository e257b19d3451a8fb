import Foundation
import MidpointLangevin
import MidpointLinearAlgebra
import MidpointLogConcave
import MidpointRandom
import MidpointTestSupport
import Testing

/// The log-concave samplers on Gaussian targets, where their stationary laws are known exactly.
@Suite struct LogConcaveSamplerTests {
    static let variances = [0.25, 0.5, 1, 2]

    static func diagonalGaussian(_ variances: [Double] = variances) throws -> GaussianPotential {
        var cov = Matrix(rows: variances.count, columns: variances.count)
        for (i, v) in variances.enumerated() { cov[i, i] = v }
        return try GaussianPotential(mean: [Double](repeating: 0, count: variances.count), covariance: cov)
    }

    /// The stationary variance of `x` for ULMC on `N(0, λ)`: the fixed point of `S ← A S Aᵀ + Q` for the
    /// step's 2×2 map `A` and noise covariance `Q` (``ULMCStep``).
    static func ulmcStationaryVariance(lambda: Double, gamma: Double, h: Double) -> Double {
        let c = ULMCStep(friction: gamma, step: h), k = 1 / lambda
        let a = [[1 - c.psi2 * k, c.psi1], [-c.psi1 * k, c.psi0]]
        let q = [[c.varianceX, c.covariance], [c.covariance, c.varianceV]]
        return fixedPoint { s in add(conjugate(a, s), q) }
    }

    /// The same for randomized-midpoint ULMC: `S ← E_a[A(a) S A(a)ᵀ + M(a) C(a) M(a)ᵀ]`, with the
    /// expectation over `a ~ U[0, 1]` by the shared composite Gauss–Legendre rule (5 points × 16 panels:
    /// the integrand is built from exponentials of `γh a`, whose tenth derivatives in `a` are of order
    /// `(γh)¹⁰ ≤ 4` for the γh ≤ 1.2 used here, so the rule's error, about `16 · 4 · 3.9e-13 · (1/16)¹¹`
    /// times the integrand's size, is below 1e-24 of it — far below the biases measured with it) and
    /// the coefficients from ``RandomizedMidpointULMCStep``.
    static func rmULMCStationaryVariance(lambda: Double, gamma: Double, h: Double) -> Double {
        let k = 1 / lambda
        var terms: [(w: Double, a: [[Double]], q: [[Double]])] = []
        for (alpha, w) in Quadrature.gaussLegendreRule(from0to: 1, panels: 16) {
            let c = RandomizedMidpointULMCStep(friction: gamma, step: h, midpoint: alpha)
            let keep = 1 - c.midForce * k
            let a = [[1 - c.positionForce * k * keep, c.positionVelocity - c.positionForce * k * c.midVelocity],
                     [-c.velocityForce * k * keep, c.velocityVelocity - c.velocityForce * k * c.midVelocity]]
            let cv = RandomizedMidpointULMCStep.covariance(friction: gamma, step: h, midpoint: alpha)
            let full = [[cv[0], cv[1], cv[2]], [cv[1], cv[3], cv[4]], [cv[2], cv[4], cv[5]]]
            let m = [[-c.positionForce * k, 1, 0], [-c.velocityForce * k, 0, 1]]
            var q = [[0.0, 0], [0, 0]]
            for i in 0..<2 { for j in 0..<2 { for r in 0..<3 { for s in 0..<3 { q[i][j] += m[i][r] * full[r][s] * m[j][s] } } } }
            terms.append((w, a, q))
        }
        return fixedPoint { s in
            var out = [[0.0, 0], [0, 0]]
            for t in terms { out = add(out, scale(add(conjugate(t.a, s), t.q), t.w)) }
            return out
        }
    }

    static func fixedPoint(_ f: ([[Double]]) -> [[Double]]) -> Double {
        var s = [[1.0, 0], [0, 1]]
        for _ in 0..<100_000 {
            let next = f(s)
            let change = abs(next[0][0] - s[0][0]) + abs(next[1][1] - s[1][1])
            s = next
            if change < 1e-16 { break }
        }
        return s[0][0]
    }

    static func conjugate(_ a: [[Double]], _ s: [[Double]]) -> [[Double]] {
        var out = [[0.0, 0], [0, 0]]
        for i in 0..<2 { for j in 0..<2 { for r in 0..<2 { for c in 0..<2 { out[i][j] += a[i][r] * s[r][c] * a[j][c] } } } }
        return out
    }

    static func add(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] { [[a[0][0] + b[0][0], a[0][1] + b[0][1]], [a[1][0] + b[1][0], a[1][1] + b[1][1]]] }
    static func scale(_ a: [[Double]], _ w: Double) -> [[Double]] { a.map { $0.map { $0 * w } } }

    /// The bias in `h` of the stationary variance on `N(0, 1)` with `γ = 2`: ULMC's is first order,
    /// randomized-midpoint ULMC's third order (fitted slopes over h = 0.4 … 0.05), and rm-ulmc's is
    /// over 50× smaller at every step size.
    @Test func rmULMCBiasIsOfHigherOrderThanULMC() {
        let hs = [0.4, 0.2, 0.1, 0.05]
        let ulmc = hs.map { abs(Self.ulmcStationaryVariance(lambda: 1, gamma: 2, h: $0) - 1) }
        let rm = hs.map { abs(Self.rmULMCStationaryVariance(lambda: 1, gamma: 2, h: $0) - 1) }
        let (pu, pr) = (LeastSquares.logLogSlope(hs, ulmc), LeastSquares.logLogSlope(hs, rm))
        #expect(abs(pu - 1) < 0.1, "ULMC order \(pu)")
        #expect(abs(pr - 3) < 0.1, "rm-ulmc order \(pr)")
        for (u, r) in zip(ulmc, rm) { #expect(r * 50 < u) }
    }

    /// Runs `name` with `chains` independent chains for `steps` steps and returns the final states (one
    /// draw per chain: independent draws, so the effective sample size is exactly `chains`).
    func finalStates(_ name: String, potential: any Potential, parameters: MCMCSamplerRegistry.Parameters,
                     chains: Int, steps: Int, threads: Int = 2) throws -> MCMCResult {
        let sampler = try MCMCSamplerRegistry.sampler(named: name, for: potential, parameters: parameters)
        var options = MCMCOptions(chains: chains, draws: 1, warmup: steps - 1, seed: 3)
        options.threads = threads
        return try MCMCRun.run(sampler, potential: potential, options: options)
    }

    /// Every sampler's code reaches the stationary law its coefficients predict. One final draw from
    /// each of C = 40,000 independent chains after 300 steps (≥ 60 units of time, far past mixing):
    /// the sample variance of coordinate i has standard error `Sᵢ √(2/C)` (0.71%) and the mean
    /// `√(Sᵢ/C)`; both must be within 5 standard errors of the exact stationary values — ULA
    /// `λ/(1 - h/(2λ))`, ULMC and rm-ulmc from the recursions above, MALA and (to its tiny bias)
    /// rm-ulmc-parallel exactly `λ`. The step sizes make ULA's and ULMC's biases on the smallest variance exceed 7
    /// standard errors (1.4× the tolerance), so an implementation without their bias would fail too.
    @Test(arguments: ["ula", "ulmc", "rm-ulmc", "mala", "rm-ulmc-parallel"])
    func stationaryMomentsMatchTheExactLaw(name: String) throws {
        let potential = try Self.diagonalGaussian()
        var p = MCMCSamplerRegistry.Parameters()
        p.friction = 2 * 2.0.squareRoot()
        switch name {
        case "ula": p.stepSize = 0.05
        case "mala": p.stepSize = 0.15
        case "ulmc": p.stepSize = 0.2
        default: p.stepSize = 0.4
        }
        let c = 40_000
        let result = try finalStates(name, potential: potential, parameters: p, chains: c, steps: 300)
        for (i, lambda) in Self.variances.enumerated() {
            let exact: Double
            switch name {
            case "ula": exact = lambda / (1 - p.stepSize! / (2 * lambda))
            case "ulmc": exact = Self.ulmcStationaryVariance(lambda: lambda, gamma: p.friction!, h: p.stepSize!)
            case "rm-ulmc": exact = Self.rmULMCStationaryVariance(lambda: lambda, gamma: p.friction!, h: p.stepSize!)
            default: exact = lambda
            }
            let values = (0..<c).map { result[chain: $0, draw: 0, coordinate: i] }
            let mean = values.reduce(0, +) / Double(c)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(c - 1)
            #expect(abs(mean) <= 5 * (exact / Double(c)).squareRoot(), "\(name) coordinate \(i): mean \(mean)")
            #expect(abs(variance - exact) <= 5 * exact * (2 / Double(c)).squareRoot(),
                    "\(name) coordinate \(i): variance \(variance), exact \(exact), λ \(lambda)")
        }
        if name == "ula" || name == "ulmc" {
            let lambda = Self.variances[0]
            let exact = name == "ula" ? lambda / (1 - p.stepSize! / (2 * lambda))
                : Self.ulmcStationaryVariance(lambda: lambda, gamma: p.friction!, h: p.stepSize!)
            #expect(abs(exact - lambda) > 7 * lambda * (2 / Double(c)).squareRoot(), "bias too small to test")
        }
        if name == "mala" {
            let rate = try #require(result.acceptanceRate)
            #expect(rate > 0.5 && rate < 1, "acceptance \(rate)")
        }
    }

    /// Gradient evaluations and rounds are counted exactly for every sampler.
    @Test func costsAreCountedExactly() throws {
        let potential = try Self.diagonalGaussian()
        var p = MCMCSamplerRegistry.Parameters()
        p.stepSize = 0.1
        p.friction = 2
        p.correctorWindow = 3
        p.correctorSteps = 2
        p.strata = 3
        p.rounds = 2
        let n = 12
        let expected: [String: (Double, Int)] = [
            "ula": (12, 12), "mala": (13, 13), "ulmc": (12, 12), "rm-ulmc": (24, 24),
            "rm-ulmc-pc": (24 + 2 * 4, 24 + 2 * 4), "rm-ulmc-parallel": (12 * (1 + 2 * 3), 12 * (1 + 2)),
        ]
        for name in MCMCSamplerRegistry.names {
            let sampler = try MCMCSamplerRegistry.sampler(named: name, for: potential, parameters: p)
            let r = try MCMCRun.run(sampler, potential: potential, options: MCMCOptions(chains: 5, draws: n, warmup: 0, seed: 1))
            #expect(r.gradientEvaluations == expected[name]!.0, "\(name): \(r.gradientEvaluations) gradients")
            #expect(r.rounds == expected[name]!.1, "\(name): \(r.rounds) rounds")
        }
    }

    /// With one stratum and one round the parallel sampler is sequential rm-ulmc on the same draws.
    @Test func parallelWithOneStratumIsSequential() throws {
        let potential = try GaussianPotential.illConditioned(dimension: 6, condition: 30)
        var p = MCMCSamplerRegistry.Parameters()
        p.stepSize = 0.3
        p.strata = 1
        p.rounds = 1
        let options = MCMCOptions(chains: 7, draws: 20, warmup: 5, seed: 9)
        let a = try MCMCRun.run(MCMCSamplerRegistry.sampler(named: "rm-ulmc", for: potential, parameters: p),
                                potential: potential, options: options)
        let b = try MCMCRun.run(MCMCSamplerRegistry.sampler(named: "rm-ulmc-parallel", for: potential, parameters: p),
                                potential: potential, options: options)
        let worst = zip(a.draws, b.draws).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-12, "largest difference \(worst)")
    }

    /// Same seed ⇒ the same draws for any thread count, and a chain's path does not depend on how many
    /// chains run beside it.
    @Test(arguments: MCMCSamplerRegistry.names)
    func drawsDependOnlyOnSeedAndChain(name: String) throws {
        let potential = try GaussianPotential.illConditioned(dimension: 5, condition: 10)
        let sampler = try MCMCSamplerRegistry.sampler(named: name, for: potential)
        var small = MCMCOptions(chains: 3, draws: 15, warmup: 4, seed: 21)
        var large = MCMCOptions(chains: 600, draws: 15, warmup: 4, seed: 21)
        small.threads = 1
        large.threads = 2
        let a = try MCMCRun.run(sampler, potential: potential, options: small)
        let b = try MCMCRun.run(sampler, potential: potential, options: large)
        #expect(Array(b.draws[0..<a.draws.count]) == a.draws)
    }

    /// A step far beyond stability stops with an error naming the step and the chain, not NaN draws.
    @Test func divergenceStopsWithAnError() throws {
        let potential = try Self.diagonalGaussian()
        var p = MCMCSamplerRegistry.Parameters()
        p.stepSize = 50
        let sampler = try MCMCSamplerRegistry.sampler(named: "ula", for: potential, parameters: p)
        let outcome: Result<MCMCResult, MCMCError>
        do { outcome = .success(try MCMCRun.run(sampler, potential: potential, options: MCMCOptions(chains: 4, draws: 1000, warmup: 0, seed: 1))) } catch {
            outcome = .failure(error)
        }
        guard case let .failure(error) = outcome, case let .nonFinite(step, chain) = error else {
            Issue.record("expected a non-finite error")
            return
        }
        #expect(step > 1 && step < 1000 && chain >= 0 && chain < 4)
        #expect(error.description.contains("step \(step)"))
    }

    /// A chain state's caches never describe a point the chains have left: after a step of every sampler,
    /// a gradient or values marked current equal a fresh evaluation at the new positions, and asking for
    /// them gives the values there. (`ula` once moved the chains leaving `hasValues` set, so values read
    /// after its step belonged to the previous point.)
    @Test(arguments: MCMCSamplerRegistry.names)
    func cachesFollowTheChains(name: String) throws {
        let potential = try GaussianPotential.illConditioned(dimension: 4, condition: 10)
        var p = MCMCSamplerRegistry.Parameters()
        p.stepSize = 0.2
        p.correctorWindow = 1
        let sampler = try MCMCSamplerRegistry.sampler(named: name, for: potential, parameters: p)
        let evaluator = GradientEvaluator(potential: potential, chains: 3, chunks: RowChunks())
        let context = MCMCContext(evaluator: evaluator, noise: NoiseSource(seed: 5))
        var x = Matrix(rows: 3, columns: 4), v = x
        context.noise.fillNormal(&x, step: 0, slot: 0)
        context.noise.fillNormal(&v, step: 0, slot: 1)
        var state = ChainState(x: x, v: v)
        // The exact gradient and values at the current positions, from a separate evaluator.
        func exact() -> (gradient: Matrix, values: [Double]) {
            var g = Matrix(rows: 3, columns: 4), f = [Double]()
            GradientEvaluator(potential: potential, chains: 3, chunks: RowChunks()).evaluate(state.x, into: &g, values: &f)
            return (g, f)
        }
        for index in 1...3 {
            state.ensureGradientAndValues(evaluator)
            let before = state.x
            sampler.step(&state, index: index, context: context)
            // (A Metropolis step may reject every chain.)
            #expect(name == "mala" || state.x != before, "\(name) step \(index) did not move")
            let truth = exact()
            if state.hasGradient { #expect(state.gradient == truth.gradient, "\(name) step \(index): stale gradient") }
            if state.hasValues { #expect(state.values == truth.values, "\(name) step \(index): stale values") }
            state.ensureGradientAndValues(evaluator)
            #expect(state.gradient == truth.gradient && state.values == truth.values, "\(name) step \(index)")
        }
    }
}
