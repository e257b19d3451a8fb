import Foundation
import MidpointLangevin
import MidpointLinearAlgebra

/// Randomized-midpoint ULMC with `R` stratified midpoints per step solved by Picard rounds (the
/// parallel method of Shen & Lee 2019, `docs/algorithms.md` §8 in its log-concave form).
///
/// Per step and chain, `tᵢ = (i + uᵢ) h/R` with `uᵢ ~ U[0, 1]` (`i < R`). With `g₀ = ∇f(x)` and the
/// noise `Nᵢ = √(2γ) P(tᵢ)`, `N_x = √(2γ) P(h)`, `N_v = √(2γ) V(h)` of one Brownian path (their
/// `(R+2)×(R+2)` covariance from ``LangevinNoiseCovariance``, factored per chain), the midpoints solve
///
/// ```
/// yᵢ = x + ψ₁(tᵢ) v - ψ₂(tᵢ) g₀ - Σ_{j<i} (h/R) ψ₁(tᵢ - tⱼ) (∇f(yⱼ) - g₀) + Nᵢ
/// ```
///
/// by `K` Picard rounds from `yᵢ = x + ψ₁(tᵢ)v - ψ₂(tᵢ)g₀ + Nᵢ`; each round evaluates `∇f` at all
/// `R` midpoints of every chain in one batch. The step ends with the stratified estimates
///
/// ```
/// x' = x + ψ₁(h) v - Σᵢ (h/R) ψ₁(h - tᵢ) ∇f(yᵢ) + N_x,   v' = ψ₀(h) v - Σᵢ (h/R) ψ₀(h - tᵢ) ∇f(yᵢ) + N_v
/// ```
///
/// Cost per step: `1 + K·R` gradient evaluations in `1 + K` rounds. With `R = K = 1` this is
/// ``RandomizedMidpointULMCSampler`` with the same draws (a test).
public struct ParallelRandomizedMidpointULMCSampler: MCMCSampler {
    public let name = "rm-ulmc-parallel"
    /// The step size `h`.
    public var stepSize: Double
    /// The friction `γ`.
    public var friction: Double
    /// Strata (midpoints) per step, `R`.
    public var strata: Int
    /// Picard rounds per step, `K`.
    public var rounds: Int

    /// The parallel sampler.
    public init(stepSize: Double, friction: Double, strata: Int = 4, rounds: Int = 3) {
        self.stepSize = stepSize
        self.friction = friction
        self.strata = strata
        self.rounds = rounds
    }

    public func validate() throws(MCMCError) {
        try ULMCSampler(stepSize: stepSize, friction: friction).validate()
        guard (1...64).contains(strata) else { throw .invalidParameter(name: "strata", value: "\(strata)", allowed: "must be in 1...64") }
        guard (1...100).contains(rounds) else { throw .invalidParameter(name: "rounds", value: "\(rounds)", allowed: "must be in 1...100") }
    }

    public func step(_ state: inout ChainState, index: Int, context: MCMCContext) {
        let (c, d, r) = (state.x.rows, state.x.columns, strata)
        let (h, gamma) = (stepSize, friction)
        state.ensureGradient(context.evaluator)
        var u = Matrix(rows: c, columns: r)
        context.noise.fillUniform(&u, step: index, slot: 0)
        var z = [Matrix]()
        for k in 0..<(r + 2) {
            var m = Matrix(rows: c, columns: d)
            context.noise.fillNormal(&m, step: index, slot: 1 + k)
            z.append(m)
        }
        // Per chain: midpoint times, weights and the noise factor.
        let n = r + 2
        let cov = LangevinNoiseCovariance(friction: gamma)
        let flow = LangevinFlow(friction: gamma)
        var times = [Double](repeating: 0, count: c * r)
        var factors = [Double](repeating: 0, count: c * n * n)
        for i in 0..<c {
            let t = (0..<r).map { (Double($0) + u[i, $0]) * h / Double(r) }
            for k in 0..<r { times[i * r + k] = t[k] }
            let points = t + [h]
            factors.withUnsafeMutableBufferPointer { fp in
                let f = fp.baseAddress! + i * n * n
                for a in 0..<(r + 1) {
                    for b in 0...a {
                        let value = 2 * gamma * cov.position(points[a], points[b])
                        f[a * n + b] = value
                        f[b * n + a] = value
                    }
                    let pv = 2 * gamma * cov.positionVelocity(points[a], h)
                    f[(r + 1) * n + a] = pv
                    f[a * n + r + 1] = pv
                }
                f[(r + 1) * n + r + 1] = 2 * gamma * cov.velocity(h)
                SemidefiniteCholesky.factor(f, n: n)
            }
        }
        // Noise rows: N_a = Σ_{b ≤ a} L[a][b] z_b, for a < R (midpoints), R (position), R+1 (velocity).
        var noise = [Matrix](repeating: Matrix(rows: c, columns: d), count: n)
        for a in 0..<n {
            for i in 0..<c {
                for b in 0...a {
                    let l = factors[i * n * n + a * n + b]
                    if l == 0 { continue }
                    for j in 0..<d { noise[a][i, j] += l * z[b][i, j] }
                }
            }
        }
        // Midpoint bases and the first guesses, in one batch of R blocks of C rows.
        var base = Matrix(rows: r * c, columns: d)
        for k in 0..<r {
            for i in 0..<c {
                let t = times[i * r + k]
                let (p1, p2) = (flow.psi1(t), flow.psi2(t))
                for j in 0..<d {
                    base[k * c + i, j] = state.x[i, j] + p1 * state.v[i, j] - p2 * state.gradient[i, j] + noise[k][i, j]
                }
            }
        }
        // Picard weights (h/R) ψ₁(tₖ - tₘ), m < k, fixed over the step's rounds.
        var weights = [Double](repeating: 0, count: c * r * r)
        for i in 0..<c {
            for k in 1..<max(r, 1) {
                for m in 0..<k { weights[(i * r + k) * r + m] = h / Double(r) * flow.psi1(times[i * r + k] - times[i * r + m]) }
            }
        }
        var y = base
        var gradients = Matrix(rows: r * c, columns: d)
        for round in 0..<rounds {
            context.evaluator.evaluate(y, into: &gradients)
            guard round + 1 < rounds, r > 1 else { continue }
            y.storage.withUnsafeMutableBufferPointer { yp in
                base.storage.withUnsafeBufferPointer { bp in
                    gradients.storage.withUnsafeBufferPointer { gp in
                        state.gradient.storage.withUnsafeBufferPointer { g0 in
                            for k in 1..<r {
                                for i in 0..<c {
                                    let row = (k * c + i) * d
                                    for j in 0..<d { yp[row + j] = bp[row + j] }
                                    for m in 0..<k {
                                        let (w, other) = (weights[(i * r + k) * r + m], (m * c + i) * d)
                                        for j in 0..<d { yp[row + j] -= w * (gp[other + j] - g0[i * d + j]) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let (p1h, p0h) = (flow.psi1(h), flow.psi0(h))
        for i in 0..<c {
            let wx = (0..<r).map { h / Double(r) * flow.psi1(h - times[i * r + $0]) }
            let wv = (0..<r).map { h / Double(r) * flow.psi0(h - times[i * r + $0]) }
            for j in 0..<d {
                let vj = state.v[i, j]
                var dx = 0.0, dv = 0.0
                for k in 0..<r {
                    let g = gradients[k * c + i, j]
                    dx += wx[k] * g
                    dv += wv[k] * g
                }
                state.x[i, j] += p1h * vj - dx + noise[r][i, j]
                state.v[i, j] = p0h * vj - dv + noise[r + 1][i, j]
            }
        }
        state.hasGradient = false
        state.hasValues = false
    }
}
